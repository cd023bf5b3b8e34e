using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Vouch.Core.Features.SecureSend;

/// <summary>
/// The format of a sent file's ciphertext, written by the sender's browser (secret-envelope.js) in chunks so that neither
/// side holds more than a chunk of work at a time:
/// <c>"VSF1"</c>, the plaintext chunk size (uint32, big-endian, 64 KiB to 8 MiB), an 8-byte random nonce prefix; then each
/// chunk sealed with AES-256-GCM under the secret's key, IV = prefix ‖ chunk index (uint32, big-endian), additional data
/// one byte, 1 on the last chunk and 0 before it (so a truncated or reordered file fails to decrypt), followed by its
/// 16-byte tag. An empty file is one empty last chunk. The server stores these bytes as they come; this class is the
/// reference implementation for tests, benchmarks and scripts.
/// </summary>
public static class SecretFileCipher
{
    public const int HeaderBytes = 16;
    public const int TagBytes = 16;
    public const int MinChunkBytes = 64 * 1024;
    public const int MaxChunkBytes = 8 * 1024 * 1024;
    public const int DefaultChunkBytes = 1024 * 1024;
    private static readonly byte[] Magic = "VSF1"u8.ToArray();

    /// <summary>The ciphertext length of a file of <paramref name="plainLength"/> bytes in chunks of <paramref name="chunkBytes"/>.</summary>
    public static long CiphertextLength(long plainLength, int chunkBytes = DefaultChunkBytes) =>
        HeaderBytes + plainLength + TagBytes * Math.Max(1, (plainLength + chunkBytes - 1) / chunkBytes);

    /// <summary>The largest ciphertext a file of at most <paramref name="maxPlainBytes"/> can have (with the smallest chunks).</summary>
    public static long MaxCiphertextLength(long maxPlainBytes) => CiphertextLength(maxPlainBytes, MinChunkBytes);

    public static byte[] Encrypt(ReadOnlySpan<byte> plain, byte[] key, int chunkBytes = DefaultChunkBytes)
    {
        var output = new byte[CiphertextLength(plain.Length, chunkBytes)];
        Magic.CopyTo(output, 0);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(4), (uint)chunkBytes);
        RandomNumberGenerator.Fill(output.AsSpan(8, 8));
        using var aes = new AesGcm(key, TagBytes);
        Span<byte> iv = stackalloc byte[12];
        output.AsSpan(8, 8).CopyTo(iv);
        var chunks = (int)Math.Max(1, (plain.Length + (long)chunkBytes - 1) / chunkBytes);
        var at = HeaderBytes;
        for (var i = 0; i < chunks; i++)
        {
            var part = plain.Slice(i * chunkBytes, Math.Min(chunkBytes, plain.Length - i * chunkBytes));
            BinaryPrimitives.WriteUInt32BigEndian(iv[8..], (uint)i);
            aes.Encrypt(iv, part, output.AsSpan(at, part.Length), output.AsSpan(at + part.Length, TagBytes), [(byte)(i == chunks - 1 ? 1 : 0)]);
            at += part.Length + TagBytes;
        }

        return output;
    }

    /// <summary>Decrypts a whole file; throws <see cref="CryptographicException"/> when it was altered, cut or reordered.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> sealedBytes, byte[] key)
    {
        if (sealedBytes.Length < HeaderBytes + TagBytes || !sealedBytes[..4].SequenceEqual(Magic))
        {
            throw new CryptographicException("not a sent file");
        }

        var chunkBytes = (int)BinaryPrimitives.ReadUInt32BigEndian(sealedBytes[4..]);
        if (chunkBytes is < MinChunkBytes or > MaxChunkBytes)
        {
            throw new CryptographicException("bad chunk size");
        }

        using var aes = new AesGcm(key, TagBytes);
        Span<byte> iv = stackalloc byte[12];
        sealedBytes.Slice(8, 8).CopyTo(iv);
        using var plain = new MemoryStream();
        var at = HeaderBytes;
        for (var i = 0; ; i++)
        {
            var size = Math.Min(chunkBytes + TagBytes, sealedBytes.Length - at);
            if (size < TagBytes)
            {
                throw new CryptographicException("the file is cut short");
            }

            var last = at + size == sealedBytes.Length;
            var part = new byte[size - TagBytes];
            BinaryPrimitives.WriteUInt32BigEndian(iv[8..], (uint)i);
            aes.Decrypt(iv, sealedBytes.Slice(at, part.Length), sealedBytes.Slice(at + part.Length, TagBytes), part, [(byte)(last ? 1 : 0)]);
            plain.Write(part);
            at += size;
            if (last)
            {
                return plain.ToArray();
            }
        }
    }
}
