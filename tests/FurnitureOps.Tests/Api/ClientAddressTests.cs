using System.Net;
using FurnitureOps.Api.RateLimiting;

namespace FurnitureOps.Tests.Api;

/// <summary>Anonymous callers' rate-limit keys: IPv4 addresses as they are, IPv6 by the /64 a subscriber is given.</summary>
public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.9", "ip:203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "ip:203.0.113.9")]
    [InlineData("2001:db8:1:2::5", "ip:2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "ip:2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "ip:2001:db8:1:3::/64")]
    public void KeyIsTheIPv4AddressOrTheIPv6Slash64(string address, string key) =>
        Assert.Equal(key, ClientAddress.Key(IPAddress.Parse(address)));

    [Fact]
    public void AnUnknownAddressHasAKeyOfItsOwn() => Assert.Equal("ip:unknown", ClientAddress.Key(null));
}
