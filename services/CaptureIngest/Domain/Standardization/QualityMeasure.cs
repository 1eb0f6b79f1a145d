namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// One quality measure of a standardised photo (OFIQ / ISO/IEC 29794-5 style): the measured value, the threshold it is
/// judged against, and when it fails a reason the photographer acts on, in Chinese and English.
/// </summary>
public sealed record QualityMeasure(string Name, double Value, string Threshold, bool Passed, string ReasonZh, string ReasonEn);
