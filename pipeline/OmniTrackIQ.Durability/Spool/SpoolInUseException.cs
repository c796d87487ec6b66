namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// The spool directory's lock is held by another process (a live collector, or a <c>drain-spool</c> already at work):
/// opening it too would checkpoint and delete segments under that process. An <see cref="IOException"/>, as before.
/// </summary>
public sealed class SpoolInUseException(string message, Exception inner) : IOException(message, inner);
