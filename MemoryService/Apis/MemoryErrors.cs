using System.Text.Json;
using MemoryService.Memories;
using MemoryService.Store;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace MemoryService.Apis;

/// <summary>
/// Every failure as problem details: 400 naming the field and the rule, 503 with Retry-After when Qdrant cannot
/// serve, and for anything unexpected a 500 that says only that (the exception goes to the log, not the client).
/// </summary>
internal sealed partial class MemoryErrors(IProblemDetailsService problems, ILogger<MemoryErrors> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            MemoryValidationException invalid => Invalid(invalid.Errors),
            BadHttpRequestException bad => BadRequest(bad),
            MemoryStoreUnavailableException unavailable => Unavailable(context, unavailable),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };

        if (problem is null)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; there is nobody to answer.
                context.Response.StatusCode = 499;
                return true;
            }

            LogUnexpected(logger, exception, context.Request.Method, context.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
                Detail = "The failure was logged on the server.",
            };
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    public static HttpValidationProblemDetails Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are invalid.",
            Detail = string.Join(" ", errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}"))),
        };

    private static HttpValidationProblemDetails BadRequest(BadHttpRequestException bad)
    {
        // The JSON reader's path says which field had the wrong type or broke the syntax ("$.memories[2].importance").
        var json = bad.InnerException as JsonException ?? bad.InnerException?.InnerException as JsonException;
        if (json is not null)
        {
            var field = json.Path is { Length: > 2 } path ? path[2..] : "body";
            var rule = json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? "has the wrong JSON type for this field."
                : $"is not valid JSON: {Trim(json.Message)}";
            return Invalid(new Dictionary<string, string[]> { [field] = [rule] });
        }

        if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) || bad.Message.Contains("JSON", StringComparison.Ordinal))
        {
            return Invalid(new Dictionary<string, string[]> { ["body"] = ["is required: a JSON object (Content-Type: application/json)."] });
        }

        return Invalid(new Dictionary<string, string[]> { ["request"] = [bad.Message] });
    }

    private static ProblemDetails Unavailable(HttpContext context, MemoryStoreUnavailableException unavailable)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(unavailable.RetryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The memory store is unavailable; try again later.",
            Detail = unavailable.Message,
        };
    }

    // The reader's own message ends with "Path: $.x | LineNumber: 0 | BytePositionInLine: 12."; keep the sentence.
    private static string Trim(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure answering {Method} {Path}.")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
