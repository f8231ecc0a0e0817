using Grpc.Core;

namespace QdrantEmulator.Grpc;

/// <summary>
/// Qdrant's errors with their exact texts: StorageError's Display prefixes (lib/storage/src/content_manager/errors.rs)
/// and the request-validation format (lib/collection/src/operations/validation.rs).
/// </summary>
internal static class QdrantErrors
{
    public static RpcException CollectionNotFound(string name) =>
        new(new Status(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!"));

    public static RpcException CollectionExists(string name) =>
        new(new Status(StatusCode.AlreadyExists, $"Wrong input: Collection `{name}` already exists!"));

    /// <summary>StorageError::BadInput: INVALID_ARGUMENT with the "Wrong input: " prefix.</summary>
    public static RpcException WrongInput(string message) =>
        new(new Status(StatusCode.InvalidArgument, $"Wrong input: {message}"));

    /// <summary>A conversion error raised by Qdrant's gRPC layer itself: INVALID_ARGUMENT with no prefix.</summary>
    public static RpcException InvalidArgument(string message) =>
        new(new Status(StatusCode.InvalidArgument, message));

    /// <summary>Request validation failures, each "field: message", joined as Qdrant does.</summary>
    public static RpcException Validation(IEnumerable<string> items) =>
        new(new Status(StatusCode.InvalidArgument, $"Validation error in body: [{string.Join("; ", items)}]"));

    public static RpcException Internal(string message) =>
        new(new Status(StatusCode.Internal, $"Service internal error: {message}"));
}
