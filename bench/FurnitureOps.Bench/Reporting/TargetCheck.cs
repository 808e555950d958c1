namespace FurnitureOps.Bench.Reporting;

/// <summary>One of the targets, judged on this run's figures.</summary>
public sealed record TargetCheck(string Scenario, string Goal, string Measured, bool Met);
