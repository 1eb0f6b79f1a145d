namespace Capture.Payment.Infrastructure;

/// <summary>The printable list of paid vouchers (拍照凭证) for a college: CSV (UTF-8 with BOM) or .xlsx, the same columns.</summary>
public static class VoucherList
{
    public const string XlsxContentType = SheetExport.XlsxContentType;

    public static readonly string[] Header = ["凭证号", "学号", "姓名", "学院", "班级", "金额(元)", "项目", "方式", "缴费时间"];

    public static byte[] Csv(IEnumerable<string[]> rows) => SheetExport.Csv(Header, rows);

    public static byte[] Xlsx(IEnumerable<string[]> rows) => SheetExport.Xlsx("拍照凭证", Header, rows, new Dictionary<int, int> { [6] = 28 });
}
