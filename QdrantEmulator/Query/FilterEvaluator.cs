using Qdrant.Client.Grpc;
using QdrantEmulator.Storage;

namespace QdrantEmulator.Query;

/// <summary>Qdrant's filter semantics over stored points.</summary>
internal static class FilterEvaluator
{
    /// <summary>Throws RpcException(InvalidArgument) with Qdrant's text for a malformed filter; call once per request.</summary>
    public static void Validate(Filter? filter) => throw new NotImplementedException();

    /// <summary>True when the point passes the filter; a null filter passes everything.</summary>
    public static bool Matches(Filter? filter, StoredPoint point) => throw new NotImplementedException();
}
