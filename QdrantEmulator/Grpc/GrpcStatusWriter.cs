using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace QdrantEmulator.Grpc;

/// <summary>Writes a trailers-only gRPC response (status in the headers, no body), as tonic does for a rejected call.</summary>
internal static class GrpcStatusWriter
{
    public static bool IsGrpcRequest(HttpContext context) =>
        context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    public static Task WriteAsync(HttpContext context, StatusCode code, string detail)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        if (detail.Length > 0)
        {
            response.Headers["grpc-message"] = PercentEncode(detail);
        }

        return Task.CompletedTask;
    }

    // grpc-message is percent-encoded UTF-8: bytes outside printable ASCII, and '%' itself (gRPC over HTTP/2 spec).
    private static string PercentEncode(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
