using System.Net;
using System.Net.Sockets;

namespace FurnitureOps.Api.RateLimiting;

/// <summary>The rate-limit key of an anonymous caller's address.</summary>
public static class ClientAddress
{
    /// <summary>
    /// <c>ip:</c> and the IPv4 address, or the IPv6 /64 the address is in: one IPv6 subscriber is normally given
    /// a whole /64 (RFC 6177), so keying by the full address would give a single client 2^64 budgets.
    /// IPv4-mapped IPv6 addresses count as the IPv4 address they carry.
    /// </summary>
    public static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return "ip:unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"ip:{new IPNetwork(Prefix64(address), 64)}"
            : $"ip:{address}";
    }

    private static IPAddress Prefix64(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
