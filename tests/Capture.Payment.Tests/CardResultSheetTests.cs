using System.Text;
using Capture.Payment.Infrastructure;

namespace Capture.Payment.Tests;

/// <summary>The one reader of finance's card result files (deductions and refunds): what it accepts and every way a line is refused.</summary>
public sealed class CardResultSheetTests
{
    private static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines));

    [Fact]
    public void A_deduction_result_line_is_read_with_its_amount_result_and_reason()
    {
        var order = Guid.NewGuid();
        var (lines, errors) = CardBatchFiles.ReadResults(Csv("订单号,学号,姓名,学院,金额(元),结果,原因", $"{order},2021001,张三,法学院,30.00,失败,余额不足", ",,,,,,"));
        Assert.Empty(errors);
        var line = Assert.Single(lines);
        Assert.Equal((2, order, "2021001", 3000L, false, "余额不足"), (line.Line, line.OrderId, line.StudentNumber, line.AmountFen, line.Deducted, line.Reason));
    }

    [Fact]
    public void Every_problem_of_a_line_is_named_in_column_order_and_nothing_is_read()
    {
        var (lines, errors) = CardBatchFiles.ReadResults(Csv("订单号,学号,金额(元),结果,原因", $"nope,,30.001,maybe,{new string('x', 201)}"));
        Assert.Empty(lines);
        var error = Assert.Single(errors);
        Assert.Equal("line 2: 订单号 is not an order id from the export; 学号 is empty or longer than 32 characters; 金额(元) is not an amount in yuan with at most two decimals; 结果 must be 成功 (deducted) or 失败 (failed); 原因 is longer than 200 characters", error);
    }

    [Fact]
    public void A_refund_result_may_leave_out_the_order_id_but_a_wrong_one_is_refused()
    {
        var (refund, other) = (Guid.NewGuid(), Guid.NewGuid());
        var (lines, errors) = CardRefundBatchFiles.ReadResults(Csv("退款单号,订单号,学号,金额(元),结果", $"{refund},,2021001,30,退款成功", $"{other},not-an-order,2021002,30,成功"));
        var line = Assert.Single(lines);
        Assert.Equal((refund, (Guid?)null, true), (line.RefundId, line.OrderId, line.Refunded));
        Assert.Equal("line 3: 订单号 is not an order id from the export", Assert.Single(errors));
    }

    [Fact]
    public void A_missing_column_a_repeated_id_and_an_empty_file_are_refused_with_what_to_fix()
    {
        Assert.Equal("The header row needs the columns 退款单号, 学号, 金额(元) and 结果 (missing: result).",
            Assert.Single(CardRefundBatchFiles.ReadResults(Csv("退款单号,学号,金额(元)", $"{Guid.NewGuid()},2021001,30")).Errors));

        var order = Guid.NewGuid();
        var (_, errors) = CardBatchFiles.ReadResults(Csv("订单号,学号,金额(元),结果", $"{order},2021001,30,成功", $"{order},2021001,30,成功"));
        Assert.Equal($"lines 2, 3: order {order} appears more than once", Assert.Single(errors));

        Assert.Equal("The file has no result lines.", Assert.Single(CardBatchFiles.ReadResults(Csv("订单号,学号,金额(元),结果")).Errors));
    }
}
