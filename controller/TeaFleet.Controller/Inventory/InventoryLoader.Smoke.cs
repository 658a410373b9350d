using YamlDotNet.RepresentationModel;

namespace TeaFleet.Controller.Inventory;

/// <summary>The 'smoke:' section of an environment (the Type 3 smoke test).</summary>
public sealed partial class InventoryLoader
{
    private SmokeConfig ReadSmoke(YamlNode node, string where)
    {
        var smoke = Mapping(node, $"{where} smoke", "a mapping with 'base_url:' and 'checks:'");
        CheckKeys(smoke, SmokeKeys, $"{where} smoke");
        var baseText = RequiredScalar(smoke, node, "base_url", $"{where} smoke", "base_url: http://10.77.0.11");
        if (!Uri.TryCreate(baseText, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw Error(Get(smoke, "base_url")!, $"'{baseText}' is not an absolute http(s) URL. Write the environment's public address, like \"http://10.77.0.11\".");
        }

        var checksNode = Get(smoke, "checks") ?? throw Error(node, $"{where} smoke has no 'checks:'. Add a list such as '- {{ name: read, method: GET, path: /api/v1/records }}'.");
        var checks = new List<SmokeCheck>();
        var saved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Sequence(checksNode, $"{where} smoke checks", "a list of '- { name: ..., method: GET, path: /... }' entries").Children)
        {
            var c = Mapping(item, "a smoke check", "'- { name: read, method: GET, path: /api/v1/records }'");
            CheckKeys(c, SmokeCheckKeys, "a smoke check");
            var checkName = RequiredScalar(c, item, "name", "a smoke check", "name: read");
            var method = RequiredScalar(c, item, "method", "a smoke check", "method: GET").ToUpperInvariant();
            if (method is not ("GET" or "POST" or "PUT" or "PATCH" or "DELETE"))
            {
                throw Error(Get(c, "method")!, $"smoke check '{checkName}': method '{method}' is not GET, POST, PUT, PATCH or DELETE.");
            }

            var path = RequiredScalar(c, item, "path", "a smoke check", "path: /api/v1/records");
            if (!path.StartsWith('/'))
            {
                throw Error(Get(c, "path")!, $"smoke check '{checkName}': path '{path}' must start with '/' (it is relative to base_url).");
            }

            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(path, @"\{([A-Za-z_][A-Za-z0-9_]*)\}"))
            {
                if (!saved.Contains(m.Groups[1].Value))
                {
                    throw Error(Get(c, "path")!, $"smoke check '{checkName}': '{{{m.Groups[1].Value}}}' is not saved by an earlier check. Add 'save: {m.Groups[1].Value}' to the check whose JSON answer has it.");
                }
            }

            int? expect = null;
            if (OptionalScalar(c, "expect") is { } e)
            {
                expect = int.TryParse(e.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) && code is >= 100 and < 600
                    ? code
                    : throw Error(e, $"smoke check '{checkName}': 'expect: {e.Value}' is not an HTTP status code such as 201.");
            }

            var save = OptionalScalar(c, "save")?.Value;
            if (save is not null)
            {
                saved.Add(save);
            }

            checks.Add(new SmokeCheck(checkName, method, path, OptionalScalar(c, "body")?.Value, expect, save));
        }

        return new SmokeConfig(baseUrl, checks);
    }
}
