using TeaFleet.Agent.Adapters;

namespace TeaFleet.Agent.Tests;

/// <summary>`ufw status numbered` lines as ufw 0.36 prints them, IPv6 twins, log marks and comments included.</summary>
public sealed class UfwRuleTests
{
    [Theory]
    [InlineData("[ 1] 443/tcp                    ALLOW IN    Anywhere                  ", 1, "443/tcp", "ALLOW IN", "Anywhere", false, true)]
    [InlineData("[ 7] 443/tcp (v6)               DENY IN     Anywhere (v6)             ", 7, "443/tcp", "DENY IN", "Anywhere (v6)", true, true)]
    [InlineData("[ 3] 443/tcp                    ALLOW IN    Anywhere                   (log)", 3, "443/tcp", "ALLOW IN", "Anywhere                   (log)", false, true)]
    [InlineData("[12] 443/tcp (v6)               LIMIT IN    Anywhere (v6)              # web app", 12, "443/tcp", "LIMIT IN", "Anywhere (v6)              # web app", true, true)]
    [InlineData("[ 4] 443                        ALLOW IN    Anywhere                  ", 4, "443", "ALLOW IN", "Anywhere", false, false)]
    [InlineData("[ 5] 443/tcp                    ALLOW IN    10.0.0.0/8                ", 5, "443/tcp", "ALLOW IN", "10.0.0.0/8", false, false)]
    [InlineData("[ 6] 443/tcp on eth0            ALLOW IN    Anywhere                  ", 6, "443/tcp on eth0", "ALLOW IN", "Anywhere", false, false)]
    [InlineData("[ 8] 443/tcp                    ALLOW OUT   Anywhere                   (out)", 8, "443/tcp", "ALLOW OUT", "Anywhere                   (out)", false, false)]
    public void A_numbered_line_parses_and_only_the_plain_incoming_rule_from_anywhere_is_the_ports_own(
        string line, int number, string to, string action, string from, bool v6, bool plain)
    {
        var rule = UfwRule.Parse(line);

        Assert.NotNull(rule);
        Assert.Equal((number, to, action, from, v6), (rule.Number, rule.To, rule.Action, rule.From, rule.V6));
        Assert.Equal(plain, rule.IsPlain(443, "tcp"));
        Assert.True(rule.Mentions(443));
        Assert.False(rule.Mentions(44));
    }

    [Theory]
    [InlineData("Status: active")]
    [InlineData("     To                         Action      From")]
    [InlineData("     --                         ------      ----")]
    [InlineData("")]
    public void Headers_are_not_rules(string line) => Assert.Null(UfwRule.Parse(line));
}
