using Qdrant.Client.Grpc;
using QdrantEmulator.Grpc;
using QdrantEmulator.Query;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Writes;

/// <summary>
/// Turns an Upsert's points into stored points, checking them in Qdrant's order: conversion of each point
/// (payload, id, vectors), then every vector's dimension, then vector names, then vector values.
/// </summary>
internal static class UpsertInput
{
    /// <summary>The per-point conversion checks, which need no collection: payload numbers, id, vectors present.</summary>
    public static void CheckConversion(UpsertPoints request)
    {
        foreach (var point in request.Points)
        {
            PayloadInput.Check(point.Payload);
            _ = point.Id is null ? throw QdrantErrors.InvalidArgument("Empty ID is not allowed") : PointKey.Parse(point.Id);
            CheckVectors(point.Vectors);
        }
    }

    /// <summary>Validates the request and normalises its vectors; throws Qdrant's error for the first problem.</summary>
    public static PreparedUpsert Prepare(CollectionState collection, UpsertPoints request)
    {
        var converted = new List<PreparedPoint>(request.Points.Count);
        var named = new List<bool>(request.Points.Count);
        foreach (var point in request.Points)
        {
            PayloadInput.Check(point.Payload);
            var id = point.Id is null ? throw QdrantErrors.InvalidArgument("Empty ID is not allowed") : PointKey.Parse(point.Id);
            converted.Add(new PreparedPoint(id, VectorsOf(point.Vectors), new Dictionary<string, Value>(point.Payload, StringComparer.Ordinal)));
            named.Add(point.Vectors.VectorsOptionsCase == Vectors.VectorsOptionsOneofCase.Vectors_);
        }

        for (var i = 0; i < converted.Count; i++)
        {
            CheckDimensions(collection, converted[i].Vectors, named[i]);
        }

        foreach (var point in converted)
        {
            CheckNames(collection, point.Vectors);
            CheckValues(point.Vectors);
        }

        foreach (var point in converted)
        {
            foreach (var name in point.Vectors.Keys.ToList())
            {
                point.Vectors[name] = Distances.PrepareForStorage(collection.Vectors[name].Distance, point.Vectors[name]);
            }
        }

        return new PreparedUpsert(collection.Vectors, converted);
    }

    // VectorsOf's checks without copying the values.
    private static void CheckVectors(Vectors? vectors)
    {
        switch (vectors?.VectorsOptionsCase)
        {
            case Vectors.VectorsOptionsOneofCase.Vector:
                _ = IsDense(vectors.Vector) ? 0 : throw OnlyDense();
                break;
            case Vectors.VectorsOptionsOneofCase.Vectors_:
                _ = vectors.Vectors_.Vectors.Values.All(IsDense) ? 0 : throw OnlyDense();
                break;
            default:
                throw QdrantErrors.InvalidArgument("Expected some vectors");
        }
    }

    private static Dictionary<string, float[]> VectorsOf(Vectors? vectors)
    {
        switch (vectors?.VectorsOptionsCase)
        {
            case Vectors.VectorsOptionsOneofCase.Vector:
                return new Dictionary<string, float[]>(StringComparer.Ordinal) { [""] = DenseOf(vectors.Vector) };
            case Vectors.VectorsOptionsOneofCase.Vectors_:
                var named = new Dictionary<string, float[]>(StringComparer.Ordinal);
                foreach (var (name, vector) in vectors.Vectors_.Vectors)
                {
                    named[name] = DenseOf(vector);
                }

                return named;
            default:
                throw QdrantErrors.InvalidArgument("Expected some vectors");
        }
    }

    /// <summary>The dense values: the 1.20 client sends <c>dense</c>; older clients the deprecated <c>data</c>.</summary>
#pragma warning disable CS0612 // The deprecated fields are read on purpose: older clients still send them.
    private static float[] DenseOf(Vector vector) => !IsDense(vector)
        ? throw OnlyDense()
        : vector.VectorCase == Vector.VectorOneofCase.Dense ? vector.Dense.Data.ToArray() : vector.Data.ToArray();

    private static bool IsDense(Vector vector) =>
        vector.VectorCase == Vector.VectorOneofCase.Dense
        || (vector.VectorCase == Vector.VectorOneofCase.None && vector.Indices is null && !vector.HasVectorsCount);
#pragma warning restore CS0612

    private static global::Grpc.Core.RpcException OnlyDense() =>
        QdrantErrors.WrongInput("only dense vectors are supported by QdrantEmulator (no sparse, multi-dense or inference vectors)");

    // The texts of Qdrant's early check before the WAL (src/common/validate_vectors.rs); unknown names are left to CheckNames.
    private static void CheckDimensions(CollectionState collection, Dictionary<string, float[]> vectors, bool named)
    {
        foreach (var (name, vector) in vectors)
        {
            if (!collection.Vectors.TryGetValue(name, out var parameters) || (ulong)vector.Length == parameters.Size)
            {
                continue;
            }

            // A point sent with one unnamed vector gets the short text; named vectors get the suffix.
            var suffix = named ? $" for vector '{name}'" : string.Empty;
            throw QdrantErrors.WrongInput($"Vector dimension error: expected dim: {parameters.Size}, got {vector.Length}{suffix}");
        }
    }

    private static void CheckNames(CollectionState collection, Dictionary<string, float[]> vectors)
    {
        foreach (var name in vectors.Keys)
        {
            if (!collection.Vectors.ContainsKey(name))
            {
                throw QdrantErrors.WrongInput($"Not existing vector name error: {name}");
            }
        }
    }

    private static void CheckValues(Dictionary<string, float[]> vectors)
    {
        foreach (var (name, vector) in vectors)
        {
            var index = Array.FindIndex(vector, value => !float.IsFinite(value));
            if (index >= 0)
            {
                throw QdrantErrors.WrongInput($"Vector value error: component at index {index} of vector '{name}' is not representable as a finite float32 value");
            }
        }
    }
}

/// <summary>
/// An Upsert already checked and normalised on the caller's thread, so the single writer only inserts. Valid for as
/// long as the collection's vector parameters are the same instance it was checked against.
/// </summary>
internal sealed record PreparedUpsert(IReadOnlyDictionary<string, VectorParams> CheckedAgainst, List<PreparedPoint> Points);

internal sealed record PreparedPoint(PointKey Id, Dictionary<string, float[]> Vectors, Dictionary<string, Value> Payload);
