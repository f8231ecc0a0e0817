using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using QdrantPool.Connections;

namespace QdrantPool.Tests.Connections;

public class CertificateThumbprintTests
{
    [Fact]
    public void Matches_ServerCertificateThumbprint_Accepted()
    {
        using var certificate = CreateCertificate();
        var hash = certificate.GetCertHash(HashAlgorithmName.SHA256);

        var validator = CertificateThumbprint.CreateValidator(Convert.ToHexString(hash));

        Assert.True(validator(this, certificate, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Matches_OtherThumbprint_Rejected()
    {
        using var certificate = CreateCertificate();

        var validator = CertificateThumbprint.CreateValidator(new string('0', 64));

        Assert.False(validator(this, certificate, null, System.Net.Security.SslPolicyErrors.None));
        Assert.False(validator(this, null, null, System.Net.Security.SslPolicyErrors.None));
    }

    [Fact]
    public void Matches_CertificateInChain_Accepted()
    {
        using var root = CreateCertificate();
        using var leaf = CreateCertificate();
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.Build(root);

        Assert.True(CertificateThumbprint.Matches(root.GetCertHash(HashAlgorithmName.SHA256), leaf, chain));
    }

    [Theory]
    [InlineData("AB:CD", false)]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000", false)]
    [InlineData("00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff", true)]
    public void TryParse_Formats(string thumbprint, bool expected)
    {
        Assert.Equal(expected, CertificateThumbprint.TryParse(thumbprint, out _));
    }

    [Fact]
    public void CreateValidator_BadThumbprint_ThrowsNamingTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => CertificateThumbprint.CreateValidator("nope"));

        Assert.Contains("CertificateThumbprint ('nope')", ex.Message);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create();
        var request = new CertificateRequest("CN=qdrant-test", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
