using System.Reflection;
using Google.Protobuf.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Qdrant.Client.Grpc;

namespace QdrantEmulator.Grpc;

/// <summary>
/// Qdrant's real gRPC services, read from the file descriptors that Qdrant.Client ships
/// (its generated code is client-only: there is no service base class to derive from).
/// </summary>
internal static class QdrantDescriptors
{
    private static readonly Lazy<IReadOnlyList<ServiceDescriptor>> LazyServices = new(Load);

    public static IReadOnlyList<ServiceDescriptor> Services => LazyServices.Value;

    /// <summary>The gRPC path of a method, e.g. <c>/qdrant.Points/Upsert</c>.</summary>
    public static string PathOf(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";

    private static List<ServiceDescriptor> Load()
    {
        var files = typeof(HealthCheckReply).Assembly.GetTypes()
            .Where(type => type.IsAbstract && type.IsSealed && type.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(type => type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>();

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var services = new List<ServiceDescriptor>();
        foreach (var file in files)
        {
            foreach (var service in file.Services)
            {
                if (seen.Add(service.FullName))
                {
                    services.Add(service);
                }
            }
        }

        return services;
    }
}
