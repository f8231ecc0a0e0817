using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace QdrantEmulator.Grpc;

/// <summary>
/// The end of the pipeline: a gRPC call to a service Qdrant.Client's descriptors do not know. ASP.NET Core would answer
/// "Service is unimplemented."; tonic answers UNIMPLEMENTED with an empty detail, so we do too.
/// </summary>
internal static class UnimplementedFallback
{
    public static Task HandleAsync(HttpContext context)
    {
        if (GrpcStatusWriter.IsGrpcRequest(context))
        {
            return GrpcStatusWriter.WriteAsync(context, StatusCode.Unimplemented, string.Empty);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
