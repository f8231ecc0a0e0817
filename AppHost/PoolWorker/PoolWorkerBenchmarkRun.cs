using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryAspire.Hosting;

/// <summary>
/// One benchmark run driven from the AppHost: PoolWorker measures (POST /benchmark); the AppHost restarts Qdrant when
/// the recovery scenario asks (PoolWorker's /benchmark/restart handshake), because only the orchestrator can stop and
/// start the Qdrant resource; then the summary of PoolWorker's report. Progress is in PoolWorker's logs; this logs
/// the AppHost's part to the same resource's log.
/// </summary>
internal sealed class PoolWorkerBenchmarkRun(ExecuteCommandContext context, EndpointReference poolWorker, QdrantReference qdrant)
{
    // Each poll is two requests PoolWorker answers in well under a millisecond; the interval bounds how late the
    // AppHost notices the recovery scenario's request (that delay is inside the report's restartCommandSeconds).
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(90);

    private readonly ILogger _logger = context.Logger;

    public async Task<ExecuteCommandResult> RunAsync(object request, TimeSpan timeout)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        bound.CancelAfter(timeout);
        var cancellationToken = bound.Token;
        using var http = new HttpClient { BaseAddress = new Uri(poolWorker.Url), Timeout = TimeSpan.FromSeconds(30) };

        var status = await GetStatusAsync(http, cancellationToken).ConfigureAwait(false);
        if (status.Running)
        {
            return CommandResults.Failure("A benchmark is already running on poolworker; its progress is in poolworker's logs.");
        }

        (await http.PostAsJsonAsync("/benchmark/restart/arm", ArmRequest(), cancellationToken).ConfigureAwait(false)).EnsureSuccessStatusCode();
        using var started = await http.PostAsJsonAsync("/benchmark", request, cancellationToken).ConfigureAwait(false);
        if (!started.IsSuccessStatusCode)
        {
            await http.DeleteAsync("/benchmark/restart/arm", CancellationToken.None).ConfigureAwait(false);
            var body = await started.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return CommandResults.Failure($"poolworker refused the benchmark ({(int)started.StatusCode}): {body}");
        }

        _logger.LogInformation("Benchmark started on poolworker ({Request}); its progress follows in this log.", JsonSerializer.Serialize(request));
        try
        {
            using var timer = new PeriodicTimer(PollInterval);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var restart = await http.GetFromJsonAsync<RestartState>("/benchmark/restart", cancellationToken).ConfigureAwait(false);
                if (restart?.Phase == "requested")
                {
                    var error = await RestartQdrantAsync(cancellationToken).ConfigureAwait(false);
                    (await http.PostAsJsonAsync("/benchmark/restart/done", new { error }, cancellationToken).ConfigureAwait(false)).EnsureSuccessStatusCode();
                }

                status = await GetStatusAsync(http, cancellationToken).ConfigureAwait(false);
                if (!status.Running)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // A recovery scenario waiting on us would otherwise wait out its own bound.
            await http.PostAsJsonAsync("/benchmark/restart/done", new { error = "the AppHost's command was cancelled" }, CancellationToken.None).ConfigureAwait(false);
            return context.CancellationToken.IsCancellationRequested
                ? CommandResults.Canceled()
                : CommandResults.Failure($"The benchmark did not finish within {timeout}; it may still be running on poolworker.");
        }

        if (status.Error is not null)
        {
            return CommandResults.Failure($"The benchmark could not complete: {status.Error}");
        }

        return await SummarizeAsync(http, cancellationToken).ConfigureAwait(false);
    }

    private object ArmRequest() => qdrant.Server is { } server
        ? new { description = $"the AppHost stops and starts the '{server.Resource.Name}' resource" }
        : new { skipReason = $"Qdrant:Mode={qdrant.Mode}: the AppHost does not run this Qdrant, so it cannot stop and start it" };

    /// <summary>Stop, wait until stopped, start, wait until it listens again on the same address. Null, or what went wrong.</summary>
    private async Task<string?> RestartQdrantAsync(CancellationToken cancellationToken)
    {
        if (qdrant.Server is not { } serverBuilder)
        {
            return "the AppHost does not run Qdrant";
        }

        var server = serverBuilder.Resource;
        var commands = context.Services.GetRequiredService<ResourceCommandService>();
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        try
        {
            var before = await EndpointAsync(cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Recovery: stopping {Server} ({Endpoint}) under poolworker's load.", server.Name, before);
            var stop = await commands.ExecuteCommandAsync(server, KnownResourceCommands.StopCommand, cancellationToken).ConfigureAwait(false);
            if (!stop.Success)
            {
                return $"stopping '{server.Name}' failed: {stop.Message}";
            }

            await notifications.WaitForResourceAsync(server.Name, KnownResourceStates.TerminalStates, cancellationToken).WaitAsync(StateTimeout, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Recovery: {Server} stopped; starting it again.", server.Name);
            var start = await commands.ExecuteCommandAsync(server, KnownResourceCommands.StartCommand, cancellationToken).ConfigureAwait(false);
            if (!start.Success)
            {
                return $"starting '{server.Name}' failed: {start.Message}";
            }

            await notifications.WaitForResourceAsync(server.Name, KnownResourceStates.Running, cancellationToken).WaitAsync(StateTimeout, cancellationToken).ConfigureAwait(false);
            var after = await EndpointAsync(cancellationToken).ConfigureAwait(false);
            if (after != before)
            {
                // PoolWorker's connection string was fixed when it started: a new port is an outage that never ends.
                return $"'{server.Name}' came back on {after}, not {before}; give Qdrant fixed ports (Qdrant:GrpcPort) to run the recovery scenario";
            }

            await WaitUntilListeningAsync(after, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Recovery: {Server} listens again on {Endpoint}.", server.Name, after);
            return null;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or DistributedApplicationException)
        {
            return $"restarting '{server.Name}' failed: {e.Message}";
        }
    }

    private async Task<Uri> EndpointAsync(CancellationToken cancellationToken)
    {
        var value = await qdrant.Resource.Resource.GetConnectionStringAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The connection string of '{qdrant.Name}' is not available.");
        return QdrantConnectionString.Parse(value).Endpoint;
    }

    /// <summary>The orchestrator says Running when the process starts; Qdrant has restarted when its port accepts again.</summary>
    private static async Task WaitUntilListeningAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(StateTimeout);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        do
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, bound.Token).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Qdrant did not listen on {endpoint} within {StateTimeout.TotalSeconds:0} s of starting.");
            }
        }
        while (await timer.WaitForNextTickAsync(bound.Token).ConfigureAwait(false));
    }

    private static async Task<BenchmarkStatus> GetStatusAsync(HttpClient http, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<BenchmarkStatus>("/benchmark/status", cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("poolworker answered /benchmark/status with nothing.");

    /// <summary>The verdict in the message; each criterion, the recovery figures and the report's address in a Markdown result.</summary>
    private async Task<ExecuteCommandResult> SummarizeAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var latest = new Uri(http.BaseAddress!, "/benchmark/latest");
        using var report = JsonDocument.Parse(await http.GetStringAsync(latest, cancellationToken).ConfigureAwait(false));
        var root = report.RootElement;
        var passed = root.GetProperty("passed").GetBoolean();
        var criteria = root.GetProperty("criteria").EnumerateArray().ToList();
        var failed = criteria.Count(c => c.GetProperty("passed").ValueKind == JsonValueKind.False);

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"**{(passed ? "PASS" : "FAIL")}**: {criteria.Count - failed} of {criteria.Count} criteria not failed. Report: {latest} (charts: /benchmark/latest/throughput.png, latency.png).");
        text.AppendLine();
        text.AppendLine("| criterion | result | detail |");
        text.AppendLine("|---|---|---|");
        foreach (var criterion in criteria)
        {
            var result = criterion.GetProperty("passed").ValueKind switch
            {
                JsonValueKind.True => "pass",
                JsonValueKind.False => "FAIL",
                _ => "not judged",
            };
            text.AppendLine(CultureInfo.InvariantCulture, $"| {criterion.GetProperty("name").GetString()} | {result} | {criterion.GetProperty("detail").GetString()?.Replace("|", "/", StringComparison.Ordinal)} |");
        }

        foreach (var skipped in root.GetProperty("skipped").EnumerateArray())
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Skipped {skipped.GetProperty("name").GetString()}: {skipped.GetProperty("reason").GetString()}");
        }

        var message = $"Benchmark {(passed ? "PASS" : "FAIL")} ({failed} of {criteria.Count} criteria failed); report at {latest}";
        _logger.LogInformation("{Message}", message);
        return CommandResults.Success(message, text.ToString(), CommandResultFormat.Markdown);
    }

    private sealed record BenchmarkStatus(bool Running, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, bool? Passed, string? Error);

    private sealed record RestartState(string Phase, string? Description, DateTimeOffset? RequestedAt);
}
