using System.Globalization;
using Qdrant.Client.Grpc;
using QdrantEmulator.Grpc;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Collections;

/// <summary>Create and update collections, with Qdrant's validation order and texts (validation, conversion, then state).</summary>
internal static class CollectionOperations
{
    private const ulong MaxVectorSize = 65536;

    /// <summary>Throws Qdrant's error when the request cannot create a collection now.</summary>
    public static void Validate(EmulatorStore store, CreateCollection request)
    {
        var problems = new List<string>();
        var name = request.CollectionName;
        CollectionNameRules.CollectForCreate(name, problems);

        foreach (var (path, parameters) in VectorParamsOf(request.VectorsConfig))
        {
            if (parameters.Size is 0 or > MaxVectorSize)
            {
                problems.Add($"{path}.size: value {parameters.Size.ToString(CultureInfo.InvariantCulture)} invalid, must be from 1 to {MaxVectorSize}");
            }
        }

        if (problems.Count > 0)
        {
            throw QdrantErrors.Validation(problems);
        }

        foreach (var (_, parameters) in VectorParamsOf(request.VectorsConfig))
        {
            if (parameters.Distance is not (Distance.Cosine or Distance.Dot or Distance.Euclid or Distance.Manhattan))
            {
                throw QdrantErrors.InvalidArgument($"Malformed distance parameter: {parameters.Distance}");
            }
        }

        if (request.VectorsConfig is { ConfigCase: VectorsConfig.ConfigOneofCase.ParamsMap } config
            && config.ParamsMap.Map.Values.Any(p => p.MultivectorConfig is not null))
        {
            throw QdrantErrors.WrongInput("multivectors are not supported by QdrantEmulator");
        }

        if (request.VectorsConfig is { ConfigCase: VectorsConfig.ConfigOneofCase.Params, Params.MultivectorConfig: not null })
        {
            throw QdrantErrors.WrongInput("multivectors are not supported by QdrantEmulator");
        }

        if (store.Find(name) is not null)
        {
            throw QdrantErrors.CollectionExists(name);
        }
    }

    public static CollectionState Create(EmulatorStore store, CreateCollection request)
    {
        Validate(store, request);
        var definition = request.Clone();
        definition.ClearTimeout();
        return CollectionState.Create(definition);
    }

    /// <summary>Accepts the new parameters and keeps them; exact search behaves the same whatever they say.</summary>
    public static CollectionState Update(CollectionState collection, UpdateCollection request)
    {
        var definition = collection.Definition.Clone();
        if (request.OptimizersConfig is not null)
        {
            (definition.OptimizersConfig ??= new OptimizersConfigDiff()).MergeFrom(request.OptimizersConfig);
        }

        if (request.HnswConfig is not null)
        {
            (definition.HnswConfig ??= new HnswConfigDiff()).MergeFrom(request.HnswConfig);
        }

        if (request.Params is { } parameters)
        {
            if (parameters.HasReplicationFactor)
            {
                definition.ReplicationFactor = parameters.ReplicationFactor;
            }

            if (parameters.HasWriteConsistencyFactor)
            {
                definition.WriteConsistencyFactor = parameters.WriteConsistencyFactor;
            }

#pragma warning disable CS0612 // deprecated, but kept so Get reports what Update was given.
            if (parameters.HasOnDiskPayload)
            {
                definition.OnDiskPayload = parameters.OnDiskPayload;
            }
#pragma warning restore CS0612
        }

        if (request.QuantizationConfig is { } quantization)
        {
            definition.QuantizationConfig = quantization.QuantizationCase switch
            {
                QuantizationConfigDiff.QuantizationOneofCase.Scalar => new QuantizationConfig { Scalar = quantization.Scalar },
                QuantizationConfigDiff.QuantizationOneofCase.Product => new QuantizationConfig { Product = quantization.Product },
                QuantizationConfigDiff.QuantizationOneofCase.Binary => new QuantizationConfig { Binary = quantization.Binary },
                _ => null,
            };
        }

        if (request.StrictModeConfig is not null)
        {
            (definition.StrictModeConfig ??= new StrictModeConfig()).MergeFrom(request.StrictModeConfig);
        }

        foreach (var (key, value) in request.Metadata)
        {
            definition.Metadata[key] = value;
        }

        return collection.With(definition: definition);
    }

    private static IEnumerable<(string Path, VectorParams Parameters)> VectorParamsOf(VectorsConfig? config) => config?.ConfigCase switch
    {
        VectorsConfig.ConfigOneofCase.Params => [("vectors_config.config", config.Params)],
        VectorsConfig.ConfigOneofCase.ParamsMap => config.ParamsMap.Map.Values.Select(p => ("vectors_config.config.map.[]", p)),
        _ => [],
    };
}
