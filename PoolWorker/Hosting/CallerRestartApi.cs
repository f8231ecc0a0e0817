using Microsoft.AspNetCore.Http.HttpResults;

namespace PoolWorker.Hosting;

/// <summary>
/// The handshake by which the AppHost restarts Qdrant for the recovery scenario (see <see cref="CallerRestart"/>):
/// arm before <c>POST /benchmark</c>, poll until the scenario asks, restart, then say done.
/// </summary>
internal static class CallerRestartApi
{
    public static IEndpointRouteBuilder MapCallerRestartApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/benchmark/restart").WithTags("Benchmark");
        api.MapGet("/", (CallerRestart restart) => TypedResults.Ok(restart.State))
            .WithName("RestartHandshake")
            .WithSummary("'requested' while the recovery scenario waits for the caller to restart Qdrant.");
        api.MapPost("/arm", Arm)
            .WithName("ArmRestart")
            .WithSummary("The next benchmark hands its restart to the caller (description), or skips recovery (skipReason).");
        api.MapDelete("/arm", (CallerRestart restart) =>
        {
            restart.Disarm();
            return TypedResults.Ok(restart.State);
        }).WithName("DisarmRestart");
        api.MapPost("/done", Done)
            .WithName("RestartDone")
            .WithSummary("The caller has restarted Qdrant (or says why it could not, in error).");
        return app;
    }

    private static Results<Ok<CallerRestartState>, Conflict<CallerRestartState>> Arm(CallerRestart restart, ArmRestartRequest request, BenchmarkJob job)
    {
        if (job.IsRunning)
        {
            return TypedResults.Conflict(restart.State);
        }

        restart.Arm(request.Description, request.SkipReason);
        return TypedResults.Ok(restart.State);
    }

    private static Results<Ok, Conflict<string>> Done(CallerRestart restart, RestartDoneRequest? request) =>
        restart.Complete(request?.Error)
            ? TypedResults.Ok()
            : TypedResults.Conflict("No recovery scenario is waiting for a restart.");
}

internal sealed record ArmRestartRequest(string? Description = null, string? SkipReason = null);

internal sealed record RestartDoneRequest(string? Error = null);
