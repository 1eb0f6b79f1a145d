using QRCoder;

namespace Capture.Registration.Infrastructure;

/// <summary>Capture codes as QR images for the student's phone or a printed voucher.</summary>
public static class QrImages
{
    public static byte[] Png(string text) => new PngByteQRCode(Data(text)).GetGraphic(8);

    public static string Svg(string text) => new SvgQRCode(Data(text)).GetGraphic(8);

    private static QRCodeData Data(string text)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
    }
}
