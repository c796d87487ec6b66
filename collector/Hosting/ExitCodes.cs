namespace OmniTrackIQ.Collector.Hosting;

/// <summary>The collector's exit codes: one scheme for the server and every verb (README "Command line").</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The work failed: the store, a file that cannot be read or written, the demo's seeding.</summary>
    public const int Failure = 1;

    /// <summary>The command line or a setting is wrong (unknown option, missing or invalid value, a bad --role); nothing ran.</summary>
    public const int Usage = 2;

    /// <summary>The input was refused and nothing changed: a file's content is invalid, or erase's identifiers link too widely.</summary>
    public const int Refused = 3;
}
