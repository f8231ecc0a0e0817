using Qdrant.Client.Grpc;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Query;

/// <summary>
/// with_vectors as Qdrant applies it: none (the field stays unset), all, or the named ones.
/// A collection's single unnamed vector comes back in <c>VectorsOutput.vector</c>, named ones in <c>VectorsOutput.vectors</c>.
/// </summary>
internal sealed class VectorSelection
{
    private readonly bool _enabled;
    private readonly HashSet<string>? _names;

    private VectorSelection(bool enabled, HashSet<string>? names)
    {
        _enabled = enabled;
        _names = names;
    }

    public static VectorSelection None { get; } = new(false, null);

    public static VectorSelection From(WithVectorsSelector? selector) => selector?.SelectorOptionsCase switch
    {
        WithVectorsSelector.SelectorOptionsOneofCase.Enable => selector.Enable ? new(true, null) : None,
        WithVectorsSelector.SelectorOptionsOneofCase.Include => new(true, [.. selector.Include.Names]),
        _ => None,
    };

    /// <summary>The output for one point, or null when vectors are off.</summary>
    public VectorsOutput? Project(StoredPoint point)
    {
        if (!_enabled)
        {
            return null;
        }

        if (_names is null && point.Vectors.Count == 1 && point.Vectors.TryGetValue(string.Empty, out var unnamed))
        {
            return new VectorsOutput { Vector = Dense(unnamed) };
        }

        var named = new NamedVectorsOutput();
        foreach (var (name, vector) in point.Vectors)
        {
            if (_names is null || _names.Contains(name))
            {
                named.Vectors.Add(name, Dense(vector));
            }
        }

        // Qdrant reports a lone default vector as unnamed even when it was asked for by name.
        if (named.Vectors.Count == 1 && named.Vectors.TryGetValue(string.Empty, out var single))
        {
            return new VectorsOutput { Vector = single };
        }

        return new VectorsOutput { Vectors = named };
    }

    private static VectorOutput Dense(float[] vector)
    {
        var dense = new DenseVector();
        dense.Data.AddRange(vector);
        return new VectorOutput { Dense = dense };
    }
}
