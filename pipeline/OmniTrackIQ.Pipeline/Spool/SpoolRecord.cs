namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>One record read back from the spool, with the positions where it starts and ends.</summary>
public readonly record struct SpoolRecord(SpoolPosition Start, SpoolPosition End, byte[] Payload);
