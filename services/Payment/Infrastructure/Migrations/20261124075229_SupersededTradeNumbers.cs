using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Payment.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SupersededTradeNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_refunds_order_id",
                schema: "payment",
                table: "refunds");

            migrationBuilder.AddColumn<string>(
                name: "superseded_out_trade_no",
                schema: "payment",
                table: "refunds",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "repriced_fee_fen",
                schema: "payment",
                table: "orders",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "superseded_trade_numbers",
                schema: "payment",
                columns: table => new
                {
                    out_trade_no = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount_fen = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    channel = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    superseded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    settled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    paid_fen = table.Column<long>(type: "bigint", nullable: true),
                    transaction_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_superseded_trade_numbers", x => x.out_trade_no);
                    table.CheckConstraint("ck_superseded_trade_numbers_amount", "amount_fen >= 0");
                    table.ForeignKey(
                        name: "fk_superseded_trade_numbers_orders_order_id",
                        column: x => x.order_id,
                        principalSchema: "payment",
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_refunds_order_id",
                schema: "payment",
                table: "refunds",
                column: "order_id",
                unique: true,
                filter: "superseded_out_trade_no IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_refunds_superseded_out_trade_no",
                schema: "payment",
                table: "refunds",
                column: "superseded_out_trade_no",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_superseded_trade_numbers_order_id",
                schema: "payment",
                table: "superseded_trade_numbers",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_superseded_trade_numbers_state_next_attempt_at",
                schema: "payment",
                table: "superseded_trade_numbers",
                columns: new[] { "state", "next_attempt_at" });

            migrationBuilder.AddForeignKey(
                name: "fk_refunds_superseded_trade_numbers_superseded_out_trade_no",
                schema: "payment",
                table: "refunds",
                column: "superseded_out_trade_no",
                principalSchema: "payment",
                principalTable: "superseded_trade_numbers",
                principalColumn: "out_trade_no");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_refunds_superseded_trade_numbers_superseded_out_trade_no",
                schema: "payment",
                table: "refunds");

            migrationBuilder.DropTable(
                name: "superseded_trade_numbers",
                schema: "payment");

            migrationBuilder.DropIndex(
                name: "ix_refunds_order_id",
                schema: "payment",
                table: "refunds");

            migrationBuilder.DropIndex(
                name: "ix_refunds_superseded_out_trade_no",
                schema: "payment",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "superseded_out_trade_no",
                schema: "payment",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "repriced_fee_fen",
                schema: "payment",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_refunds_order_id",
                schema: "payment",
                table: "refunds",
                column: "order_id",
                unique: true);
        }
    }
}
