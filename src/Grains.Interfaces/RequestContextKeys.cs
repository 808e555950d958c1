namespace FurnitureOps.Grains.Interfaces;

/// <summary>Keys of values the API puts in Orleans' <c>RequestContext</c>, which travels with every grain call.</summary>
public static class RequestContextKeys
{
    /// <summary>The HTTP request id (<c>X-Request-ID</c>), so silo log lines can be matched to the request.</summary>
    public const string RequestId = "fo.request-id";
}
