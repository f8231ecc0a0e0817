using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using QdrantPool.Connections;

namespace QdrantPool.Tests.Connections;

/// <summary>The handler under each pooled channel (DESIGN decision 1, pool-anchors.md implication 3).</summary>
public class GrpcConnectionFactoryTests
{
    [Fact]
    public void CreateHandler_Defaults_OneConnectionPerChannelKeepAlivePingsPlatformCertificateCheck()
    {
        using var handler = CreateFactory(_ => { }).CreateHandler();

        Assert.False(handler.EnableMultipleHttp2Connections);
        Assert.Equal(Timeout.InfiniteTimeSpan, handler.PooledConnectionIdleTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, handler.PooledConnectionLifetime);
        Assert.Equal(TimeSpan.FromSeconds(60), handler.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), handler.KeepAlivePingTimeout);
        Assert.Equal(HttpKeepAlivePingPolicy.Always, handler.KeepAlivePingPolicy);
        Assert.Null(handler.SslOptions.RemoteCertificateValidationCallback);
    }

    [Fact]
    public void CreateHandler_KeepAliveConfigured_PingsOnTheHandler()
    {
        using var handler = CreateFactory(o => { o.KeepAlivePingDelay = TimeSpan.FromSeconds(30); o.KeepAlivePingTimeout = TimeSpan.FromSeconds(5); }).CreateHandler();

        Assert.Equal(TimeSpan.FromSeconds(30), handler.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), handler.KeepAlivePingTimeout);
        Assert.Equal(HttpKeepAlivePingPolicy.Always, handler.KeepAlivePingPolicy);
    }

    [Fact]
    public void CreateHandler_KeepAliveDelayNull_NoPings()
    {
        using var handler = CreateFactory(o => o.KeepAlivePingDelay = null).CreateHandler();

        Assert.Equal(Timeout.InfiniteTimeSpan, handler.KeepAlivePingDelay);
    }

    [Fact]
    public void CreateHandler_Thumbprint_ValidatedOnTheSocketsHandlerSslOptions()
    {
        using var server = CreateCertificate("CN=qdrant");
        using var other = CreateCertificate("CN=impostor");
        var thumbprint = Convert.ToHexString(server.GetCertHash(HashAlgorithmName.SHA256));

        using var handler = CreateFactory(o => { o.Endpoint = new Uri("https://127.0.0.1:6334"); o.CertificateThumbprint = thumbprint; }).CreateHandler();
        var callback = handler.SslOptions.RemoteCertificateValidationCallback;

        Assert.NotNull(callback);
        Assert.True(callback(this, server, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(callback(this, other, null, SslPolicyErrors.None));
    }

    private static GrpcConnectionFactory CreateFactory(Action<QdrantConnectionPoolOptions> configure)
    {
        var options = new QdrantConnectionPoolOptions { Endpoint = new Uri("http://127.0.0.1:6334") };
        configure(options);
        return new GrpcConnectionFactory(options, null);
    }

    private static X509Certificate2 CreateCertificate(string subject)
    {
        using var key = ECDsa.Create();
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
    }
}
