namespace FurnitureOps.Silo;

/// <summary>The silo's exit codes when it cannot start (docs/operations.md).</summary>
public static class StartupExitCodes
{
    /// <summary>The host failed to start for another reason; the log says why.</summary>
    public const int StartFailed = 1;

    /// <summary>PostgreSQL did not answer within <c>Storage:StartupTimeout</c>.</summary>
    public const int DatabaseUnreachable = 3;
}
