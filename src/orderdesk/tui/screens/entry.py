"""New order (mode 2): phone first, then address, items and money; ctrl+s saves.

The screen only gathers what is typed and shows what the core says: totals and stock come
from `orders.quote`, rules and errors from `orders.create` / `orders.edit`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from orderdesk import address, geo, geo_old, validation
from orderdesk.errors import InvalidInput, OrderdeskError
from orderdesk.i18n import t
from orderdesk.models.enums import Inspection, OrderStatus, PaymentMethod
from orderdesk.models.inputs import LineInput, OrderCreate, OrderEdit
from orderdesk.models.money import format_money
from orderdesk.models.reads import OrderRead
from orderdesk.services import customers, ledger, orders, paste
from orderdesk.services.orders import Quote
from orderdesk.timeutil import format_local
from orderdesk.tui.desk import DeskScreen
from orderdesk.tui.guard import guarded
from orderdesk.tui.widgets.form import Field, FormInput
from orderdesk.tui.widgets.order_table import capital
from orderdesk.tui.widgets.picker import Choice, Picker
from orderdesk.tui.widgets.risk import risk_text

MONEY_FIELDS = ("shipping_fee", "discount", "paid", "cod")


@dataclass
class DraftLine:
    sku: str
    qty: int
    unit_price: int | None = None  # None: the product's price (kept as sold when editing)


class LinesTable(DataTable[Text]):
    """The order's lines; +/- change the quantity, Delete removes the line."""

    BINDINGS = [
        Binding("plus,equals_sign", "screen.qty(1)", t("desk.qty_up"), id="entry.qty_up"),
        Binding("minus", "screen.qty(-1)", t("desk.qty_down"), id="entry.qty_down"),
        Binding(
            "delete,backspace", "screen.remove_line", t("desk.remove_line"), id="entry.remove_line"
        ),
    ]


class EntryScreen(DeskScreen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", t("desk.save"), id="entry.save", priority=True),
        Binding("ctrl+v", "paste", t("desk.paste"), id="entry.paste", priority=True),
        Binding("ctrl+n", "clear", t("desk.new_form"), id="entry.new"),
        Binding("escape", "back", t("desk.back"), id="entry.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[DraftLine] = []
        self.editing: OrderRead | None = None
        self.province_code: int | None = None
        self._filled_from_phone = ""
        # (ward chosen, the buyer's old address it was chosen for): kept while the ward is.
        self._old_address = ("", "")
        self._choose_ward = False  # the ward field holds an old address to choose from

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="entry-form"):
            with Horizontal(classes="row"):
                yield Field(capital(t("field.phone")), name="phone", placeholder="0912 345 678")
                yield Field(capital(t("field.name")), name="name")
            yield Static("", id="customer-card")
            yield Field(
                capital(t("field.street")), name="street", placeholder=t("desk.street_hint")
            )
            with Horizontal(classes="row"):
                yield Field(
                    capital(t("field.province")),
                    name="province",
                    widget=Picker(
                        self._provinces, placeholder=t("desk.province_hint"), input_id="in-province"
                    ),
                )
                yield Field(
                    capital(t("field.ward")),
                    name="ward",
                    widget=Picker(self._wards, placeholder=t("desk.ward_hint"), input_id="in-ward"),
                )
            yield Static("", id="address-note")
            yield Field(
                t("desk.add_item"),
                name="item",
                widget=Picker(self._products, placeholder=t("desk.item_hint"), input_id="in-item"),
            )
            yield LinesTable(id="lines", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="row"):
                for name in MONEY_FIELDS:
                    yield Field(capital(t(f"field.{name}")), name=name, placeholder="0")
            with Horizontal(classes="row"):
                yield Field(
                    capital(t("field.payment")),
                    name="payment",
                    widget=Select(
                        [(t(f"payment.{p.value}"), p.value) for p in PaymentMethod],
                        value=PaymentMethod.COD.value,
                        allow_blank=False,
                        id="in-payment",
                    ),
                )
                yield Field(
                    capital(t("field.inspection")),
                    name="inspection",
                    widget=Select(
                        [(t(f"inspection.{i.value}"), i.value) for i in Inspection],
                        value=Inspection.VIEW.value,
                        allow_blank=False,
                        id="in-inspection",
                    ),
                )
                yield Field(
                    capital(t("field.deliver_by")), name="deliver_by", placeholder="dd/mm/yyyy"
                )
                yield Field(
                    capital(t("field.channel")), name="channel", placeholder="facebook, zalo…"
                )
            with Horizontal(classes="row"):
                yield Field(capital(t("field.note")), name="note")
                # Rarely given, so last: it costs no Tab in the usual order.
                yield Field(capital(t("field.email")), name="email")
            yield Static("", id="totals")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(LinesTable)
        for key in (
            "col.sku",
            "col.product",
            "col.qty",
            "col.unit_price",
            "col.amount",
            "col.available",
            "desk.stock_state",
        ):
            table.add_column(t(key), key=key)
        self._refresh_title()
        self.input("phone").focus()
        self.recalc()
        self._load_old_wards()

    @work(thread=True, exclusive=True, exit_on_error=False, group="old-wards")
    def _load_old_wards(self) -> None:
        # The table of wards before July 2025 takes ~0.5 s to index: off the desk's thread,
        # before the first old address is typed.
        geo_old.warm()

    def on_screen_resume(self) -> None:
        # A blank form starts at the phone; one in progress keeps its place.
        if not self.lines and not self.text("phone") and self.editing is None:
            self.input("phone").focus()

    # ------------------------------------------------------------------ helpers

    def field(self, name: str) -> Field:
        return self.query_one(f"#field-{name}", Field)

    def input(self, name: str) -> Input:
        return self.query_one(f"#in-{name}", Input)

    def picker(self, name: str) -> Picker:
        return self.field(name).query_one(Picker)

    def text(self, name: str) -> str:
        if name in ("province", "ward"):
            return self.picker(name).value
        return self.input(name).value

    def select(self, name: str) -> str:
        return str(self.query_one(f"#in-{name}", Select).value)

    def _refresh_title(self) -> None:
        if self.editing is not None:
            self.sub_title = t("desk.editing", code=self.editing.code)
        else:
            self.sub_title = t("desk.mode.entry")

    def clear_errors(self) -> None:
        for field in self.query(Field):
            field.show_error("")

    # ------------------------------------------------------------------ type-ahead

    def _provinces(self, text: str) -> list[Choice]:
        return [Choice(str(p.code), p.name) for p in geo.search_provinces(text)]

    def _wards(self, text: str) -> list[Choice]:
        if self.province_code is None:
            try:
                self.province_code = geo.resolve_province(self.text("province")).code
            except geo.PlaceNotFound:
                return []
        choices = []
        for ward, old in address.search(self.province_code, text):
            if old:  # an old ward (before July 2025) and what it became
                label = Text(t("desk.old_ward_choice", old=old, new=ward.name))
                choices.append(Choice(f"{ward.code}|{old}", label))
            else:
                choices.append(Choice(str(ward.code), Text(ward.name)))
        return choices

    def _products(self, text: str) -> list[Choice]:
        with self.desk.store.read() as session:
            rows = ledger.find(session, text)
        choices = []
        for row in rows:
            label = Text()
            label.append(f"{row.sku:<14}", style="bold")
            label.append(row.name + (f" ({row.variant})" if row.variant else ""))
            details = " / ".join(p for p in (row.color, row.size) if p)
            if details:
                label.append(f"  {details}", style="dim")
            label.append(f"  {format_money(row.price)}  ")
            label.append(
                t("desk.available_n", n=row.available),
                style="red" if row.available <= 0 else "green",
            )
            choices.append(Choice(row.sku, label))
        return choices

    @on(Picker.Chosen, "#field-province Picker")
    def _province_chosen(self, event: Picker.Chosen) -> None:
        code = int(event.choice.value)
        if code != self.province_code:
            self.picker("ward").set_value("")
        self.province_code = code
        self.picker("province").set_value(geo.province(code).name)
        self.picker("ward").input.focus()

    @on(Picker.Typed, "#field-province Picker")
    def _province_typed(self, event: Picker.Typed) -> None:
        self.province_code = None
        self.picker("ward").input.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self._choose_ward and event.widget is self.picker("ward").input:
            self.picker("ward").refresh_choices()

    @on(Picker.Chosen, "#field-ward Picker")
    def _ward_chosen(self, event: Picker.Chosen) -> None:
        self._choose_ward = False
        code, _, old = event.choice.value.partition("|")
        ward = geo.ward(int(code))
        self.picker("ward").set_value(ward.name)
        written = f"{old}, {self.text('province')}" if old else ""
        self._note_old_address(ward.name, written)
        self.picker("item").input.focus()

    def _note_old_address(self, ward: str, written: str) -> None:
        """Show (and keep, for the order) the buyer's old address a ward was chosen for."""
        self._old_address = (ward, written)
        note = ""
        if written:
            province = self.text("province")
            note = t("desk.address_converted", text=f"{written} → {ward}, {province}")
        shown = self.query_one("#address-note", Static)
        shown.update(Text(note, style="italic"))
        shown.display = bool(note)

    @on(Picker.Typed, "#field-ward Picker")
    def _ward_typed(self, event: Picker.Typed) -> None:
        self.picker("item").input.focus()

    @on(FormInput.Changed, "#in-province")
    def _province_edited(self) -> None:
        self.province_code = None

    @on(Picker.Chosen, "#field-item Picker")
    def _item_chosen(self, event: Picker.Chosen) -> None:
        self.add_line(event.choice.value)

    @on(Picker.Typed, "#field-item Picker")
    @guarded
    def _item_typed(self, event: Picker.Typed) -> None:
        if not event.text.strip():
            self.query_one(LinesTable).focus()
            return
        with self.desk.store.read() as session:
            rows = ledger.find(session, event.text, limit=1)
        if rows and event.text.strip() in (rows[0].sku, rows[0].barcode):
            self.add_line(rows[0].sku)
        else:
            self.notify(
                t("err.sku.unknown", sku=event.text.strip()), severity="warning", markup=False
            )

    def add_line(self, sku: str, qty: int = 1) -> None:
        for line in self.lines:
            if line.sku == sku:
                line.qty += qty
                break
        else:
            self.lines.append(DraftLine(sku, qty))
        self.picker("item").set_value("")
        self.field("item").show_error("")
        self.recalc()

    # ------------------------------------------------------------------ lines and totals

    def action_qty(self, step: int) -> None:
        table = self.query_one(LinesTable)
        if not self.lines or table.cursor_row is None:
            return
        line = self.lines[min(table.cursor_row, len(self.lines) - 1)]
        line.qty = max(1, line.qty + step)
        self.recalc()

    def action_remove_line(self) -> None:
        table = self.query_one(LinesTable)
        if self.lines and table.cursor_row is not None:
            del self.lines[min(table.cursor_row, len(self.lines) - 1)]
            self.recalc()

    @on(FormInput.Changed, "#in-shipping_fee, #in-discount, #in-paid, #in-cod")
    @on(Select.Changed)
    def _money_changed(self) -> None:
        self.recalc()

    @guarded
    def recalc(self) -> None:
        holding = (
            {line.sku: line.reserved for line in self.editing.lines}
            if self.editing is not None
            else None
        )
        with self.desk.store.read() as session:
            quote = orders.quote(
                session,
                [LineInput(line.sku, line.qty, line.unit_price) for line in self.lines],
                shipping_fee=self.text("shipping_fee"),
                discount=self.text("discount"),
                paid=self.text("paid") or None,
                cod=self.text("cod") or None,
                payment=self.select("payment"),
                holding=holding,
            )
        self._show_lines(quote)
        self._show_totals(quote)

    def _show_lines(self, quote: Quote) -> None:
        table = self.query_one(LinesTable)
        row = table.cursor_row
        table.clear()
        for line in quote.lines:
            state = (
                Text(t("desk.short_by", n=line.qty - line.available), style="bold red")
                if line.short
                else Text(t("desk.in_stock"), style="green")
            )
            table.add_row(
                Text(line.sku),
                Text(line.name + (f" ({line.variant})" if line.variant else "")),
                Text(str(line.qty), justify="right"),
                Text(format_money(line.unit_price), justify="right"),
                Text(format_money(line.amount), justify="right"),
                Text(str(line.available), justify="right"),
                state,
            )
        if quote.lines and row is not None:
            table.move_cursor(row=min(row, len(quote.lines) - 1))

    def _show_totals(self, quote: Quote) -> None:
        money = quote.money
        self.input("cod").placeholder = format_money(money.cod)
        text = Text()
        for key, amount in (
            ("col.subtotal", money.subtotal),
            ("col.shipping_fee", money.shipping_fee),
            ("col.discount", -money.discount),
            ("col.total", money.total),
            ("col.paid", money.paid),
        ):
            text.append(f"{t(key)} ", style="dim")
            text.append(f"{format_money(amount)}   ")
        text.append(f"{t('col.cod')} ", style="bold")
        text.append(format_money(money.cod), style="bold")
        if quote.short:
            text.append("\n")
            text.append(
                t(
                    "desk.will_wait",
                    lines="; ".join(
                        t(
                            "err.out_of_stock.line",
                            sku=line.sku,
                            wanted=line.qty,
                            available=line.available,
                        )
                        for line in quote.short
                    ),
                ),
                style="bold red",
            )
        self.query_one("#totals", Static).update(text)

    # ------------------------------------------------------------------ the customer

    @on(FormInput.Changed, "#in-phone")
    @guarded
    def _phone_changed(self, event: FormInput.Changed) -> None:
        card = self.query_one("#customer-card", Static)
        try:
            phone = validation.phone(event.value)
        except InvalidInput:
            card.update("")
            return
        if phone == self._filled_from_phone:
            return
        with self.desk.store.read() as session:
            try:
                known = customers.by_phone(session, phone)
            except OrderdeskError:
                card.update(Text(t("desk.new_customer"), style="dim"))
                return
            recent = orders.rows_for_phone(session, phone)
            danger = customers.risk(
                session, phone, other_than=self.editing.code if self.editing else ""
            )
        self._filled_from_phone = phone
        # Fill only what the seller has not typed yet.
        for name, value in (("name", known.name), ("street", known.street)):
            if not self.text(name):
                self.input(name).value = value
        if not self.text("province") and known.province:
            self.picker("province").set_value(known.province)
            self.province_code = geo.resolve_province(known.province).code
        if not self.text("ward") and known.ward:
            self.picker("ward").set_value(known.ward)
        elif not self.text("ward") and known.old_address:
            # Kept from before July 2025 with a split ward: today's wards are offered.
            self.picker("ward").set_value(known.old_address)
            self._choose_ward = True
            note = t("desk.old_address_choose", text=known.old_address)
            self.query_one("#address-note", Static).update(Text(note, style="italic"))
            self.query_one("#address-note", Static).display = True
        card.update(self._card(known, recent, danger))

    def _card(
        self,
        known: customers.CustomerRead,
        recent: list[orders.OrderRow],
        danger: customers.Risk | None = None,
    ) -> Text:
        text = Text()
        text.append(
            t(
                "desk.known_customer",
                name=known.name,
                orders=known.orders,
                spent=format_money(known.spent),
            ),
            style="bold",
        )
        flagged: set[str] = set()
        if danger is not None and danger.warn:
            text.append("\n")
            text.append(risk_text(danger))
            flagged = {event.code for event in danger.history}
        for row in recent:
            if row.code in flagged:
                continue
            text.append(
                f"\n  {row.code}  {format_local(row.created_at)}  "
                f"{capital(t('status.' + row.status.value))}  {format_money(row.total)}",
                style="dim",
            )
        return text

    # ------------------------------------------------------------------ paste

    def action_paste(self) -> None:
        from orderdesk.tui.modals.paste import PasteModal

        self.app.push_screen(PasteModal(), self._apply_paste)

    @on(FormInput.ChatPasted)
    def _chat_pasted(self, event: FormInput.ChatPasted) -> None:
        self._apply_paste(event.text)

    @guarded
    def _apply_paste(self, text: str | None) -> None:
        if not text or not text.strip():
            return
        with self.desk.store.read() as session:
            found = paste.read_message(session, text)
        if found.name:
            self.input("name").value = found.name
        if found.street:
            self.input("street").value = found.street
        if found.province:
            self.picker("province").set_value(found.province)
            self.province_code = geo.resolve_province(found.province).code
        if found.choose:
            # An old ward split in July 2025: its successors are offered to pick from.
            self.picker("ward").set_value(", ".join(p for p in (found.ward, found.district) if p))
            self.notify(found.choose, severity="warning", timeout=12, markup=False)
        elif found.ward:
            self.picker("ward").set_value(found.ward)
            self._note_old_address(found.ward, found.old_address)
        for item in found.items:
            self.add_line(item.sku, item.qty)
        if found.payment:
            self.query_one("#in-payment", Select).value = found.payment
        if found.amount is not None:
            # "ck 450k" is what was transferred; otherwise it is what the courier collects.
            target = "paid" if found.payment in ("bank", "prepaid") else "cod"
            self.input(target).value = str(found.amount)
        if found.phone:
            self.input("phone").value = found.phone  # looks the customer up, last
        self.recalc()
        if found.unread:
            self.notify(
                t("desk.paste_unread", parts=" · ".join(found.unread)),
                severity="warning",
                timeout=12,
                markup=False,
            )
        else:
            self.notify(t("desk.paste_done"), markup=False)

    # ------------------------------------------------------------------ saving

    def _draft(self) -> OrderCreate:
        return OrderCreate(
            name=self.text("name"),
            phone=self.text("phone"),
            street=self.text("street"),
            ward=self.text("ward"),
            province=self.text("province"),
            # Not on the form: an edited order keeps the (legacy) district it came with.
            district=self.editing.district if self.editing is not None else "",
            old_address=self._old_address[1] if self._old_address[0] == self.text("ward") else "",
            email=self.text("email"),
            items=[LineInput(line.sku, line.qty, line.unit_price) for line in self.lines],
            channel=self.text("channel"),
            shipping_fee=self.text("shipping_fee") or 0,
            discount=self.text("discount") or 0,
            paid=self.text("paid") or None,
            cod=self.text("cod") or None,
            payment=self.select("payment"),
            deliver_by=self.text("deliver_by") or None,
            inspection=self.select("inspection"),
            note=self.text("note"),
        )

    @guarded
    def action_save(self) -> None:
        self.clear_errors()
        draft = self._draft()
        try:
            with self.desk.store.write() as session:
                if self.editing is None:
                    saved = orders.create(session, draft, allow_backorder=True)
                else:
                    saved = orders.edit(
                        session, self.editing.code, OrderEdit.whole(draft), allow_backorder=True
                    )
        except InvalidInput as error:
            self._show_errors(error)
            return
        if saved.status is OrderStatus.AWAITING_STOCK:
            short = [f"{line.sku} ×{line.qty}" for line in saved.lines]
            self.notify(
                t("desk.saved_waiting", code=saved.code, lines=", ".join(short)),
                severity="warning",
                timeout=10,
                markup=False,
            )
        else:
            self.notify(
                t("desk.saved", code=saved.code, status=capital(t("status." + saved.status.value))),
                markup=False,
            )
        was_editing = self.editing is not None
        self.action_clear()
        if was_editing:
            self.app.switch_mode("orders")

    def _show_errors(self, error: InvalidInput) -> None:
        messages: dict[str, list[str]] = {}
        for item in error.errors:
            # Line errors (unknown SKU, bad quantity) belong to the "add item" field.
            is_line = item.line is not None or item.field in ("items", "sku", "qty", "unit_price")
            name = "item" if is_line else item.field
            messages.setdefault(name, []).append(item.message())
        for name, texts in messages.items():
            for field in self.query(f"#field-{name}").results(Field):
                field.show_error("; ".join(texts))
        # Focus the first wrong field as laid out on screen, not in the order of the rules.
        first = next((f for f in self.query(Field) if f.has_class("-invalid")), None)
        if first is not None:
            target = first.widget.input if isinstance(first.widget, Picker) else first.widget
            target.focus()
        self.notify(t("desk.fix_fields"), severity="error", markup=False)

    # ------------------------------------------------------------------ new, edit, back

    def action_clear(self) -> None:
        self.editing = None
        self.lines = []
        self.province_code = None
        self._filled_from_phone = ""
        self._note_old_address("", "")
        self._choose_ward = False
        for name in (
            "phone",
            "name",
            "email",
            "street",
            "deliver_by",
            "channel",
            "note",
            *MONEY_FIELDS,
        ):
            self.input(name).value = ""
        for name in ("province", "ward", "item"):
            self.picker(name).set_value("")
        self.query_one("#in-payment", Select).value = PaymentMethod.COD.value
        self.query_one("#in-inspection", Select).value = Inspection.VIEW.value
        self.query_one("#customer-card", Static).update("")
        self.clear_errors()
        self._refresh_title()
        self.recalc()
        self.input("phone").focus()

    @guarded
    def load_order(self, code: str) -> None:
        """Fill the form with a pending (or waiting) order to edit it."""
        with self.desk.store.read() as session:
            order = orders.get(session, code)
        self.action_clear()
        self.editing = order
        self._filled_from_phone = order.phone
        values = {
            "phone": validation.display_phone(order.phone),
            "name": order.name,
            "email": order.email,
            "street": order.street,
            "channel": order.channel,
            "note": order.note,
            "shipping_fee": str(order.shipping_fee or ""),
            "discount": str(order.discount or ""),
            "paid": str(order.paid or ""),
            "cod": str(order.cod),
            "deliver_by": order.deliver_by.strftime("%d/%m/%Y") if order.deliver_by else "",
        }
        for name, value in values.items():
            self.input(name).value = value
        self.picker("province").set_value(order.province)
        self.province_code = order.province_code
        self.picker("ward").set_value(order.ward)
        self.query_one("#in-payment", Select).value = order.payment.value
        self.query_one("#in-inspection", Select).value = order.inspection.value
        self.lines = [DraftLine(line.sku, line.qty, line.unit_price) for line in order.lines]
        self._refresh_title()
        self.recalc()
        self.input("name").focus()

    def action_back(self) -> None:
        # First Escape leaves the text field (so the number keys switch steps again),
        # the second goes back to the orders.
        if isinstance(self.focused, Input):
            self.query_one(LinesTable).focus()
            return
        self.app.switch_mode("orders")
