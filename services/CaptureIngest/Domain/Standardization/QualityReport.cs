namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>Every quality measure of one photo; <see cref="Passed"/> only when all of them pass.</summary>
public sealed record QualityReport(bool Passed, IReadOnlyList<QualityMeasure> Measures)
{
    public static QualityReport Empty { get; } = new(false, []);

    public static QualityReport From(IReadOnlyList<QualityMeasure> measures) => new(measures.All(m => m.Passed), measures);

    /// <summary>The measure with this name (see <see cref="QualityMeasureNames"/>), or null when it was not measured.</summary>
    public QualityMeasure? this[string name] => Measures.FirstOrDefault(m => m.Name == name);
}
