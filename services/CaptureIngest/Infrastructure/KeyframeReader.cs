using Capture.CaptureIngest.Domain.Standardization;
using Capture.ServiceDefaults.Security;

namespace Capture.CaptureIngest.Infrastructure;

/// <summary>
/// Reads the capture code (采集码) photographed as a shoot's first frame and checks its signature with the same key
/// and rule Registration issues codes with, so a forged or altered code never counts as agreement.
/// </summary>
public sealed class KeyframeReader(PhotoStandardizer standardizer, CaptureCodeSigner signer)
{
    public (Guid? RegistrationId, string Outcome) Read(string path)
    {
        var text = standardizer.DecodeQrCode(path);
        if (text is null)
        {
            return (null, "No QR code could be read in this keyframe: hold the capture code flat, fill the frame with it and shoot again.");
        }

        return signer.Read(text) is { } claim
            ? (claim.RegistrationId, $"Capture code read: registration {claim.RegistrationId}.")
            : (null, "The QR code in this keyframe is not a genuine capture code (forged, altered or another kind of code): check the student's code.");
    }
}
