namespace Capture.CaptureIngest.Domain.Standardization;

/// <summary>
/// The CHSI (学信网) photo standard and the quality thresholds, bound from configuration section
/// <see cref="SectionName"/>. A campaign may override <see cref="BackgroundColour"/> per call. docs/capture-standardization.md
/// explains each default.
/// </summary>
public sealed class StandardizationOptions
{
    public const string SectionName = "CaptureIngest:Standardization";

    // The CHSI standard: 480×640 px, the eyes 200–300 px from the top, the face 180–300 px wide, the top of the hair
    // 50–110 px from the top edge. Targets sit in the middle of each range so that a detector's error of a few pixels
    // never pushes a centred photo out of range.
    public int Width { get; set; } = 480;
    public int Height { get; set; } = 640;
    public double EyeLineMin { get; set; } = 200;
    public double EyeLineMax { get; set; } = 300;
    public double EyeLineTarget { get; set; } = 250;
    public double FaceWidthMin { get; set; } = 180;
    public double FaceWidthMax { get; set; } = 300;
    public double FaceWidthTarget { get; set; } = 230;
    public double HairTopMin { get; set; } = 50;
    public double HairTopMax { get; set; } = 110;
    public double HairTopTarget { get; set; } = 80;

    /// <summary>CHSI's light blue, RGB(100,197,255); a campaign whose collector asks for another colour overrides it.</summary>
    public string BackgroundColour { get; set; } = "#64C5FF";

    /// <summary>
    /// framing: how much of the ideal crop may lie outside the frame (fraction of the crop's width or height) before the
    /// photo counts as cut off. 3 % moves the eye line by at most 19 px, which the ranges absorb.
    /// </summary>
    public double FramingMaxOutside { get; set; } = 0.03;

    /// <summary>framing: source pixels per output pixel at least this, else the face is too far (the output would be upscaled).</summary>
    public double FramingMinSourceScale { get; set; } = 1.0;

    /// <summary>head_roll: ISO/IEC 19794-5 (and ICAO 9303) allow ±8° of roll for a frontal portrait.</summary>
    public double MaxHeadRollDegrees { get; set; } = 8;

    /// <summary>background_uniformity: RMS CIE76 ΔE of the background pixels from their mean; ~2.3 is a just-noticeable difference.</summary>
    public double BackgroundMaxDeviation { get; set; } = 8;

    /// <summary>background_colour: CIE76 ΔE of the mean background from the campaign's colour.</summary>
    public double BackgroundMaxColourDistance { get; set; } = 20;

    /// <summary>sharpness: minimum variance of the Laplacian of the face (grey levels², on the 480×640 output).</summary>
    public double SharpnessMinLaplacianVariance { get; set; } = 30;

    /// <summary>exposure: mean CIE L* of the face, between these.</summary>
    public double ExposureMinLightness { get; set; } = 40;
    public double ExposureMaxLightness { get; set; } = 82;

    /// <summary>highlight_clipping: at most this fraction of the face's pixels with luma ≥ <see cref="HighlightClipLevel"/>.</summary>
    public double HighlightMaxClippedFraction { get; set; } = 0.02;
    public int HighlightClipLevel { get; set; } = 250;

    /// <summary>colour_cast: CIE a*b* distance of the face's mean chroma from a typical skin tone (a* 14, b* 18).</summary>
    public double ColourCastMaxDistance { get; set; } = 16;
    public double SkinReferenceA { get; set; } = 14;
    public double SkinReferenceB { get; set; } = 18;

    /// <summary>JPEG: the highest quality ≥ <see cref="JpegMinQuality"/> whose file is at most <see cref="JpegMaxBytes"/>.</summary>
    public int JpegMinQuality { get; set; } = 60;

    /// <summary>20 KB read as 20 × 1024 and 40 KB as 40 × 1000, so the file is inside the range whichever KB a checker means.</summary>
    public int JpegMinBytes { get; set; } = 20 * 1024;
    public int JpegMaxBytes { get; set; } = 40 * 1000;
    public int Dpi { get; set; } = 300;

    /// <summary>Images with more pixels than this are refused from their header, before any pixel is decoded (decompression bombs).</summary>
    public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>
    /// A JPEG is decoded once, with the largest shrink-on-load (2, 4, 8) that keeps its long side at least this many pixels
    /// (a 24 MP frame: 3000×2000); detection copies, eye bands and the crop all come from that. A crop that would have
    /// fewer pixels there than the output (a far face) is decoded again at a smaller shrink.
    /// </summary>
    public int DecodeLongSide { get; set; } = 2000;

    /// <summary>
    /// What finds the faces and eyes: <see cref="FaceDetectorKind.BlazeFace"/> (default) or <see cref="FaceDetectorKind.Haar"/>
    /// (for comparison; also what runs, with a warning, when the BlazeFace model is missing).
    /// </summary>
    public FaceDetectorKind FaceDetector { get; set; } = FaceDetectorKind.BlazeFace;

    /// <summary>
    /// The BlazeFace model (<c>face_detection_back_256x256_barracuda.onnx</c>), relative to the service's folder. Unset: the
    /// copy in the service's publish output (models/blazeface/, the container image), else the one deploy/local/prerequisites.sh
    /// installed in the checkout the service was built from (deploy/local/models).
    /// </summary>
    public string? BlazeFaceModelPath { get; set; }

    /// <summary>A whole-frame BlazeFace detection with at least this score is a face (and counts in <c>face_count</c>).</summary>
    public double BlazeFaceMinScore { get; set; } = 0.75;

    /// <summary>The second look: a square of this many face-box sides around each face, at the model's 256 px.</summary>
    public double BlazeFaceRefineCrop { get; set; } = 3.5;

    /// <summary>The second look accepts the face at this score (it is already known to be there).</summary>
    public double BlazeFaceRefineMinScore { get; set; } = 0.5;

    /// <summary>The second look also runs on the crop mirrored, and keeps the mean of both (halves the eye keypoints' noise in roll).</summary>
    public bool BlazeFaceRefineMirrored { get; set; }

    /// <summary>At most this many faces (the largest) get the second look; the rest keep their whole-frame keypoints.</summary>
    public int BlazeFaceMaxRefined { get; set; } = 4;

    /// <summary>
    /// Long side of the copy the top of the hair is scanned on, and Haar's first look; faces in a 24 MP frame are ~45–80 px
    /// wide there.
    /// </summary>
    public int DetectionSize { get; set; } = 480;

    /// <summary>Haar: smallest face the first look searches for, as a fraction of the detection copy's short side (at least 24 px, the cascade's window).</summary>
    public double MinFaceFraction { get; set; } = 1.0 / 10;

    /// <summary>Haar: long side of the second look for faces too small for the first (a far-away student).</summary>
    public int FarDetectionSize { get; set; } = 1600;

    /// <summary>
    /// Operations libvips' (process-wide) cache may hold; 0 by default: no photo repeats an operation on the same input,
    /// and a cached crop or resize keeps its decoded photo in memory.
    /// </summary>
    public int VipsOperationCache { get; set; }

    /// <summary>
    /// libvips' worker threads per operation (process-wide); 1 by default: the standardisation workers already run one
    /// photo each in parallel, and splitting a photo's small operations over threads only adds their synchronisation
    /// (`photo-cpu`: ~3 % less CPU per photo, ~7 % more photos/s with two workers). 0 leaves libvips' default (the cores).
    /// </summary>
    public int VipsConcurrency { get; set; } = 1;

    /// <summary>Where Debian's opencv-data puts the Haar cascades (the Haar detector's).</summary>
    public string CascadeDirectory { get; set; } = "/usr/share/opencv4/haarcascades";
}
