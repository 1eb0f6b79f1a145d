using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Payment.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PaymentModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "voucher_numbers",
                schema: "payment");

            migrationBuilder.CreateTable(
                name: "attendances",
                schema: "payment",
                columns: table => new
                {
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    absent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    makeup_booked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    photographed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_attendances", x => x.registration_id);
                });

            migrationBuilder.CreateTable(
                name: "notify_nonces",
                schema: "payment",
                columns: table => new
                {
                    nonce = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notify_nonces", x => x.nonce);
                });

            migrationBuilder.CreateTable(
                name: "orders",
                schema: "payment",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    college_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    college_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    class_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    student_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    student_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    amount_fen = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    method = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    out_trade_no = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    code_url = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    online_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_polled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    provider_transaction_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    voucher_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    waiver_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    refunded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_orders", x => x.id);
                    table.CheckConstraint("ck_orders_amount", "amount_fen >= 0");
                    table.CheckConstraint("ck_orders_paid_has_method", "status NOT IN ('Paid', 'Refunded') OR method IS NOT NULL");
                });

            migrationBuilder.CreateTable(
                name: "refund_policies",
                schema: "payment",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    refund_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_refund_policies", x => x.campaign_id);
                });

            migrationBuilder.CreateTable(
                name: "refunds",
                schema: "payment",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount_fen = table.Column<long>(type: "bigint", nullable: false),
                    method = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    out_refund_no = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    provider_refund_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_refunds", x => x.id);
                    table.ForeignKey(
                        name: "fk_refunds_orders_order_id",
                        column: x => x.order_id,
                        principalSchema: "payment",
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_notify_nonces_received_at",
                schema: "payment",
                table: "notify_nonces",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_orders_campaign_id_college_code_status",
                schema: "payment",
                table: "orders",
                columns: new[] { "campaign_id", "college_code", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_out_trade_no",
                schema: "payment",
                table: "orders",
                column: "out_trade_no",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_registration_id",
                schema: "payment",
                table: "orders",
                column: "registration_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_school_code_student_number",
                schema: "payment",
                table: "orders",
                columns: new[] { "school_code", "student_number" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_status_online_started_at",
                schema: "payment",
                table: "orders",
                columns: new[] { "status", "online_started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_voucher_number",
                schema: "payment",
                table: "orders",
                column: "voucher_number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_refunds_order_id",
                schema: "payment",
                table: "refunds",
                column: "order_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_refunds_out_refund_no",
                schema: "payment",
                table: "refunds",
                column: "out_refund_no",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_refunds_status",
                schema: "payment",
                table: "refunds",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "attendances",
                schema: "payment");

            migrationBuilder.DropTable(
                name: "notify_nonces",
                schema: "payment");

            migrationBuilder.DropTable(
                name: "refund_policies",
                schema: "payment");

            migrationBuilder.DropTable(
                name: "refunds",
                schema: "payment");

            migrationBuilder.DropTable(
                name: "orders",
                schema: "payment");

            migrationBuilder.DropSequence(
                name: "voucher_numbers",
                schema: "payment");
        }
    }
}
