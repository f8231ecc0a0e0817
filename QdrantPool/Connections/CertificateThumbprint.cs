using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace QdrantPool.Connections;

/// <summary>Accepts a server whose certificate chain contains a certificate with the configured SHA-256 thumbprint.</summary>
internal static class CertificateThumbprint
{
    /// <summary>True when <paramref name="thumbprint"/> is 64 hex digits (colons and spaces allowed between them).</summary>
    public static bool TryParse(string thumbprint, out byte[] hash)
    {
        var hex = thumbprint.Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        hash = [];
        if (hex.Length != 64)
        {
            return false;
        }

        try
        {
            hash = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static RemoteCertificateValidationCallback CreateValidator(string thumbprint)
    {
        if (!TryParse(thumbprint, out var expected))
        {
            throw new ArgumentException($"CertificateThumbprint ('{thumbprint}') must be a SHA-256 thumbprint: 64 hex digits.", nameof(thumbprint));
        }

        return (_, certificate, chain, _) => Matches(expected, certificate, chain);
    }

    internal static bool Matches(byte[] expected, X509Certificate? certificate, X509Chain? chain)
    {
        if (certificate is not null && HashEquals(expected, certificate))
        {
            return true;
        }

        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                if (HashEquals(expected, element.Certificate))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool HashEquals(byte[] expected, X509Certificate certificate) =>
        CryptographicOperations.FixedTimeEquals(expected, certificate.GetCertHash(HashAlgorithmName.SHA256));
}
