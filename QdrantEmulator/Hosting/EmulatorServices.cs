using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using QdrantEmulator.Collections;
using QdrantEmulator.Grpc;
using QdrantEmulator.Reads;
using QdrantEmulator.Storage;
using QdrantEmulator.Writes;

namespace QdrantEmulator.Hosting;

/// <summary>Service registration for the emulator's gRPC surface.</summary>
internal static class EmulatorServices
{
    public static IServiceCollection AddQdrantEmulator(this IServiceCollection services, EmulatorSettings settings, StorageEngineSlot slot)
    {
        services.AddSingleton(settings);
        services.AddSingleton(slot);
        services.TryAddSingleton(TimeProvider.System);
        services.AddGrpc(options =>
        {
            // Qdrant decodes requests of any size and sets no send limit (src/tonic/mod.rs); ASP.NET Core caps at 4 MiB.
            options.MaxReceiveMessageSize = null;
            options.MaxSendMessageSize = null;

            // Unknown services fall through to our fallback, which answers as tonic does.
            options.IgnoreUnknownServices = true;
        });
        services.AddSingleton<QdrantService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<QdrantService>, DescriptorMethodProvider>());

        // Resolved when the gRPC endpoints are built, after the storage has been recovered.
        services.AddSingleton(provider =>
        {
            var engine = provider.GetRequiredService<StorageEngineSlot>().Engine;
            var time = provider.GetRequiredService<TimeProvider>();
            return new RpcHandlers()
                .MapHealth()
                .MapCollections(engine, time)
                .MapPointWrites(engine, time)
                .MapPointReads(engine.Store, time);
        });
        return services;
    }
}

/// <summary>Holds the storage engine, opened after the container is built (recovery logs through it) and before the server starts.</summary>
internal sealed class StorageEngineSlot
{
    private StorageEngine? engine;

    public StorageEngine Engine
    {
        get => engine ?? throw new InvalidOperationException("The storage engine is used before it was opened.");
        set => engine = value;
    }
}
