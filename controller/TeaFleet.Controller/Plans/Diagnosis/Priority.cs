namespace TeaFleet.Controller.Plans;

/// <summary>The runbook's priority column: 🔴 Immediate, 🟡 Can wait, 🔴 Critical, or none when nothing is wrong.</summary>
public sealed record Priority(string Word, string Label)
{
    public static readonly Priority None = new("none", "none");
    public static readonly Priority CanWait = new("can-wait", "🟡 Can wait");
    public static readonly Priority Immediate = new("immediate", "🔴 Immediate");
    public static readonly Priority Critical = new("critical", "🔴 Critical");
}
