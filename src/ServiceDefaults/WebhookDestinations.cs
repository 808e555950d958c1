using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FurnitureOps.ServiceDefaults;

/// <summary>Internal hosts webhooks may reach after all (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookDestinationOptions
{
    /// <summary>
    /// Host names, IP addresses or CIDR ranges (<c>10.20.0.0/16</c>) a webhook may reach although they are
    /// internal. Empty by default; Development adds loopback (<c>127.0.0.1</c>, <c>::1</c>, <c>localhost</c>)
    /// for run.sh's receivers. The API and every silo must have the same list.
    /// </summary>
    public List<string> AllowedDestinations { get; set; } = [];
}

/// <summary>
/// Keeps webhooks off internal networks. A tenant admin chooses the URL and a silo makes the request from
/// inside the cluster, so without this a hook could reach loopback, the pod network or a cloud metadata
/// service (server-side request forgery). The API refuses such URLs at registration (400
/// <c>webhook_url_forbidden</c>); the silo checks again on every connection it opens, against the addresses the
/// name resolves to at that moment, so a name re-pointed after registration (DNS rebinding) gets nowhere.
/// </summary>
public sealed class WebhookDestinations
{
    public const string ForbiddenCode = "webhook_url_forbidden";

    // The IPv4 ranges the IANA special-purpose registry marks not globally reachable (RFC 6890 and its updates).
    private static readonly IPNetwork[] InternalV4 = [.. new[]
    {
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4",
    }.Select(IPNetwork.Parse)];

    // IPv4-compatible addresses (and :: and ::1) and the documentation range are internal; NAT64 and 6to4
    // addresses are as internal as the IPv4 address they carry.
    private static readonly IPNetwork V4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Documentation = IPNetwork.Parse("2001:db8::/32");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _networks = [];

    public WebhookDestinations(IOptions<WebhookDestinationOptions> options)
    {
        foreach (var entry in options.Value.AllowedDestinations)
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                _networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                _networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                _hosts.Add(Normalise(entry));
            }
        }
    }

    /// <summary>Whether <paramref name="entry"/> is a host name, an IP address or a CIDR range.</summary>
    public static bool IsValidEntry(string? entry) =>
        !string.IsNullOrWhiteSpace(entry)
        && (IPNetwork.TryParse(entry, out _) || IPAddress.TryParse(entry, out _) || Uri.CheckHostName(entry) == UriHostNameType.Dns);

    /// <summary>Loopback, private, shared, link-local, unique-local, multicast or reserved: not the public internet.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return InternalV4.Any(network => network.Contains(address));
        }

        if (Nat64.Contains(address) || SixToFour.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            var offset = Nat64.Contains(address) ? 12 : 2;
            return IsInternal(new IPAddress(bytes.AsSpan(offset, 4)));
        }

        return V4Compatible.Contains(address) || Documentation.Contains(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
            || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
    }

    /// <summary>Whether a connection to <paramref name="address"/> is allowed: public, or on the allow-list.</summary>
    public bool Allows(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return !IsInternal(plain) || _networks.Any(network => network.Contains(plain));
    }

    /// <summary>
    /// Why <paramref name="url"/> may not be registered, or null. Addresses in the URL and <c>localhost</c>
    /// names are judged here; a name that resolves to an internal address is refused when it resolves so now,
    /// and in any case at connect time.
    /// </summary>
    public async Task<string?> RefusalAsync(Uri url, CancellationToken cancellationToken)
    {
        var host = Normalise(url.IdnHost);
        if (_hosts.Contains(host))
        {
            return null;
        }

        if (IPAddress.TryParse(host, out var literal))
        {
            return Allows(literal) ? null : $"{literal} is an internal address";
        }

        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return $"{host} is this machine";
        }

        var addresses = await TryResolveAsync(host, cancellationToken);
        return addresses.FirstOrDefault(address => !Allows(address)) is { } inside ? $"{host} resolves to the internal address {inside}" : null;
    }

    /// <summary>
    /// The webhook client's connect callback (<see cref="SocketsHttpHandler.ConnectCallback"/>): resolves the
    /// host, drops the addresses this policy forbids and connects to the first of the rest that answers.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var host = Normalise(endpoint.Host);
        IPAddress[] resolved = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = _hosts.Contains(host) ? resolved : resolved.Where(Allows).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError,
                $"{ForbiddenCode}: {host} is or resolves to an internal address, which webhooks may not reach (Webhooks:AllowedDestinations)");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // Registration should not wait on a slow resolver: a name that does not resolve in time is judged at connect time.
    private static async Task<IPAddress[]> TryResolveAsync(string host, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            return await Dns.GetHostAddressesAsync(host, timeout.Token);
        }
        catch (Exception error) when (error is SocketException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return [];
        }
    }

    private static string Normalise(string host) => host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
}

public static class WebhookDestinationExtensions
{
    /// <summary>The webhook destination policy, bound from <c>Webhooks:AllowedDestinations</c> (API and silo alike).</summary>
    public static IServiceCollection AddWebhookDestinations(this IServiceCollection services)
    {
        services.AddOptions<WebhookDestinationOptions>().BindConfiguration("Webhooks")
            .Configure<IHostEnvironment>((options, environment) =>
            {
                if (environment.IsDevelopment() && options.AllowedDestinations.Count == 0)
                {
                    options.AllowedDestinations.AddRange(["127.0.0.1", "::1", "localhost"]);
                }
            })
            .Validate(options => options.AllowedDestinations.All(WebhookDestinations.IsValidEntry),
                "Each entry of Webhooks:AllowedDestinations must be a host name, an IP address or a CIDR range.")
            .ValidateOnStart();
        services.AddSingleton<WebhookDestinations>();
        return services;
    }
}
