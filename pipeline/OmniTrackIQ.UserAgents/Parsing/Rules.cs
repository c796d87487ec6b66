using System.Text.RegularExpressions;

namespace OmniTrackIQ.UserAgents.Parsing;

/// <summary>An entry of <c>user_agent_parsers</c>: family from <c>family_replacement</c> or group 1, versions from <c>v1..v4_replacement</c> or groups 2..5.</summary>
internal sealed class UserAgentRule(Regex regex, string? family, string? v1, string? v2, string? v3, string? v4)
{
    public Regex Regex { get; } = regex;

    public BrowserInfo Create(Match match) => new(
        Replacement.Resolve(family, match, 1) ?? ParsedDefaults.Other,
        Replacement.Resolve(v1, match, 2),
        Replacement.Resolve(v2, match, 3),
        Replacement.Resolve(v3, match, 4),
        Replacement.Resolve(v4, match, 5));
}

/// <summary>An entry of <c>os_parsers</c>: <c>os_replacement</c> / <c>os_v1..v4_replacement</c> or groups 1..5.</summary>
internal sealed class OsRule(Regex regex, string? family, string? v1, string? v2, string? v3, string? v4)
{
    public Regex Regex { get; } = regex;

    public OsInfo Create(Match match) => new(
        Replacement.Resolve(family, match, 1) ?? ParsedDefaults.Other,
        Replacement.Resolve(v1, match, 2),
        Replacement.Resolve(v2, match, 3),
        Replacement.Resolve(v3, match, 4),
        Replacement.Resolve(v4, match, 5));
}

/// <summary>
/// An entry of <c>device_parsers</c>: family from <c>device_replacement</c> or group 1, brand only from
/// <c>brand_replacement</c> (no fallback group), model from <c>model_replacement</c> or group 1.
/// </summary>
internal sealed class DeviceRule(Regex regex, string? family, string? brand, string? model)
{
    public Regex Regex { get; } = regex;

    public DeviceInfo Create(Match match) => new(
        Replacement.Resolve(family, match, 1) ?? ParsedDefaults.Other,
        Replacement.Resolve(brand, match, 0),
        Replacement.Resolve(model, match, 1));
}
