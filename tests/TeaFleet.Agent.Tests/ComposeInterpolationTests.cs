using TeaFleet.Agent.Adapters;

namespace TeaFleet.Agent.Tests;

public sealed class ComposeInterpolationTests
{
    [Theory]
    [InlineData("tea-backend:${TEA_RELEASE}", "tea-backend:abc")]
    [InlineData("tea-backend:${TEA_RELEASE:-dev}", "tea-backend:abc")]
    [InlineData("tea-backend:${MISSING:-dev}", "tea-backend:dev")]
    [InlineData("tea-backend:${EMPTY:-dev}", "tea-backend:dev")]
    [InlineData("tea-backend:${EMPTY-dev}", "tea-backend:")]
    [InlineData("tea-$TEA_RELEASE", "tea-abc")]
    public void Image_names_are_interpolated_as_compose_does(string text, string expected)
    {
        var variables = new Dictionary<string, string> { ["TEA_RELEASE"] = "abc", ["EMPTY"] = "" };

        Assert.Equal(expected, ComposeProject.Interpolate(text, variables));
    }
}
