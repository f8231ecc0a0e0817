using System.Globalization;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Qdrant.Client;

namespace MemoryAspire.Hosting;

/// <summary>Dashboard commands on the Qdrant resource, whichever mode serves it.</summary>
internal static class QdrantCommands
{
    internal const string ListCollectionsCommandName = "qdrant-list-collections";

    // A dashboard message, not a report: past this many collections it says how many more there are.
    private const int MaxCollectionsShown = 20;

    /// <summary>"Collections": lists each collection with its exact point count. Enabled while Qdrant is healthy.</summary>
    public static IResourceBuilder<T> WithQdrantCommands<T>(this IResourceBuilder<T> builder, IResourceWithConnectionString qdrant)
        where T : IResource =>
        builder.WithCommand(
            ListCollectionsCommandName,
            "Collections",
            context => ListCollectionsAsync(qdrant, context.CancellationToken),
            new CommandOptions
            {
                Description = "List the collections and their point counts (an authenticated call with the API key).",
                IconName = "DatabaseSearch",
                UpdateState = state => state.ResourceSnapshot.HealthStatus is HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });

    private static async Task<ExecuteCommandResult> ListCollectionsAsync(IResourceWithConnectionString qdrant, CancellationToken cancellationToken)
    {
        var value = await qdrant.GetConnectionStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(value))
        {
            return CommandResults.Failure($"The connection string of '{qdrant.Name}' is not available yet.");
        }

        var connection = QdrantConnectionString.Parse(value);
        using var client = new QdrantClient(connection.Endpoint, connection.Key, grpcTimeout: TimeSpan.FromSeconds(10));
        try
        {
            var names = await client.ListCollectionsAsync(cancellationToken).ConfigureAwait(false);
            if (names.Count == 0)
            {
                return CommandResults.Success("No collections.");
            }

            var text = new StringBuilder();
            foreach (var name in names.Order(StringComparer.Ordinal).Take(MaxCollectionsShown))
            {
                var count = await client.CountAsync(name, exact: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                text.Append(CultureInfo.InvariantCulture, $"{name}: {count} points; ");
            }

            if (names.Count > MaxCollectionsShown)
            {
                text.Append(CultureInfo.InvariantCulture, $"and {names.Count - MaxCollectionsShown} more; ");
            }

            return CommandResults.Success(text.ToString().TrimEnd(' ', ';'));
        }
        catch (Grpc.Core.RpcException ex)
        {
            return CommandResults.Failure($"Qdrant answered {ex.StatusCode}: {ex.Status.Detail}");
        }
    }
}
