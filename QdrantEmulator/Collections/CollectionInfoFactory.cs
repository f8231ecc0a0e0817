using Qdrant.Client.Grpc;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Collections;

/// <summary>
/// CollectionInfo as Qdrant reports it for an idle single-node collection. Defaults are Qdrant's
/// (config/config.yaml); whatever the collection was created or updated with overrides them.
/// </summary>
internal static class CollectionInfoFactory
{
    public static CollectionInfo Build(CollectionState collection)
    {
        var definition = collection.Definition;
        var parameters = new CollectionParams
        {
            ShardNumber = definition.HasShardNumber ? definition.ShardNumber : 1,
            ReplicationFactor = definition.HasReplicationFactor ? definition.ReplicationFactor : 1,
            WriteConsistencyFactor = definition.HasWriteConsistencyFactor ? definition.WriteConsistencyFactor : 1,
        };

#pragma warning disable CS0612 // on_disk_payload is deprecated but still reported by Qdrant and read by older clients.
        parameters.OnDiskPayload = !definition.HasOnDiskPayload || definition.OnDiskPayload;
#pragma warning restore CS0612
        if (definition.VectorsConfig is not null)
        {
            parameters.VectorsConfig = definition.VectorsConfig;
        }

        if (definition.SparseVectorsConfig is not null)
        {
            parameters.SparseVectorsConfig = definition.SparseVectorsConfig;
        }

        if (definition.HasShardingMethod)
        {
            parameters.ShardingMethod = definition.ShardingMethod;
        }

        var config = new CollectionConfig
        {
            Params = parameters,
            HnswConfig = Merge(DefaultHnsw(), definition.HnswConfig),
            OptimizerConfig = Merge(DefaultOptimizers(), definition.OptimizersConfig),
            WalConfig = Merge(new WalConfigDiff { WalCapacityMb = 32, WalSegmentsAhead = 0 }, definition.WalConfig),
        };

        if (definition.QuantizationConfig is not null)
        {
            config.QuantizationConfig = definition.QuantizationConfig;
        }

        if (definition.StrictModeConfig is not null)
        {
            config.StrictModeConfig = definition.StrictModeConfig;
        }

        config.Metadata.Add(definition.Metadata);

        var info = new CollectionInfo
        {
            Status = CollectionStatus.Green,
            OptimizerStatus = new OptimizerStatus { Ok = true },
            SegmentsCount = 1,
            PointsCount = (ulong)collection.Points.Count,

            // Exact search builds no HNSW index; Qdrant too reports 0 below its indexing threshold.
            IndexedVectorsCount = 0,
            Config = config,
        };
        info.PayloadSchema.Add(collection.PayloadSchema);
        return info;
    }

    private static HnswConfigDiff DefaultHnsw() => new()
    {
        M = 16,
        EfConstruct = 100,
        FullScanThreshold = 10000,
        MaxIndexingThreads = 0,
    };

    private static OptimizersConfigDiff DefaultOptimizers() => new()
    {
        DeletedThreshold = 0.2,
        VacuumMinVectorNumber = 1000,
        DefaultSegmentNumber = 0,
        IndexingThreshold = 10000,
        FlushIntervalSec = 5,
    };

    private static T Merge<T>(T defaults, T? overrides)
        where T : class, Google.Protobuf.IMessage<T>
    {
        if (overrides is not null)
        {
            defaults.MergeFrom(overrides);
        }

        return defaults;
    }
}
