namespace OmniTrackIQ.Attribution.Paths;

/// <summary>Attributed conversions and conversion value of one channel.</summary>
public readonly record struct ChannelCredit(double Conversions, double Value);
