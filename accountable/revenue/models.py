"""Revenue and pipeline facts: our offerings, sales (invoice) lines, opportunities and the
monthly rollups every revenue figure on a page is read from."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Line amounts keep 4 decimals: Northwind's price x quantity x (1 - discount) is exact in 4, so
# totals match the source to the cent.


class ProductLine(models.Model):
    """A line of our offerings (a product category), the unit of rollups and whitespace."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """One product we sell, known by its code in a source system."""

    source = models.CharField(max_length=40)
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    product_line = models.ForeignKey(
        ProductLine, null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "code"], name="product_code_unique_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SalesLine(models.Model):
    """One invoice line: credits and cancellations are negative lines."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="sales_lines"
    )
    date = models.DateField()
    # (source, invoice, line) is the line's identity: re-importing a file updates, never doubles.
    source = models.CharField(max_length=40)
    invoice = models.CharField(max_length=60)
    line = models.CharField(max_length=120)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="sales_lines"
    )
    # Copied from the product so that rollups group without a join.
    product_line = models.ForeignKey(
        ProductLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    business_unit = models.ForeignKey(
        "people.BusinessUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(max_digits=18, decimal_places=4, default=0)
    unit_price = models.DecimalField(max_digits=18, decimal_places=4, default=0)
    amount = models.DecimalField(max_digits=18, decimal_places=4)
    margin = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    import_run = models.ForeignKey(
        "exchange.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "invoice", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "invoice", "line"], name="sales_line_unique_per_source"
            )
        ]
        indexes = [
            # Rollup refresh of the accounts an import touched.
            models.Index(fields=["account", "date"], name="sales_line_account_date"),
            # The pricing check: one product's prices over a period.
            models.Index(fields=["product", "date"], name="sales_line_product_date"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice}/{self.line}"


class MonthlyRollup(models.Model):
    """Revenue of one account in one month for one product line and business unit.

    Rebuilt by `rollup_refresh` for the accounts an import touched; pages read only these.
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    product_line = models.ForeignKey(
        ProductLine, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    business_unit = models.ForeignKey(
        "people.BusinessUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Kept to 4 decimals like the lines, so that rollups add up to the lines exactly.
    revenue = models.DecimalField(max_digits=18, decimal_places=4)
    margin = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    quantity = models.DecimalField(max_digits=18, decimal_places=4, default=0)
    orders = models.PositiveIntegerField(default=0)
    lines = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["account", "month"]
        indexes = [
            # The Revenue tab (one account, or a tree's accounts, by month).
            models.Index(fields=["account", "month"], name="rollup_account_month"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m}: {self.revenue}"


class OpportunityStage(models.Model):
    """A stage along the customer's buying cycle (configurable; imports add the ones they meet)."""

    name = models.CharField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    probability = models.PositiveSmallIntegerField(default=0)
    is_closed = models.BooleanField(default=False)
    is_won = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__lte=100), name="stage_probability_0_100"
            ),
            models.CheckConstraint(
                condition=Q(is_won=False) | Q(is_closed=True), name="stage_won_is_closed"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Opportunity(models.Model):
    """A sale in progress with an account: value, probability, expected close, stage."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="opportunities"
    )
    name = models.CharField(max_length=255)
    source = models.CharField(max_length=40, blank=True)
    external_id = models.CharField(max_length=60, blank=True)
    stage = models.ForeignKey(OpportunityStage, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    probability = models.PositiveSmallIntegerField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    # The owner as the source system names them, when they are not one of our users.
    owner_name = models.CharField(max_length=150, blank=True)
    product_line = models.ForeignKey(
        ProductLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    business_unit = models.ForeignKey(
        "people.BusinessUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    import_run = models.ForeignKey(
        "exchange.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["close_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="opportunity_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(probability__isnull=True) | Q(probability__lte=100),
                name="opportunity_probability_0_100",
            ),
        ]
        indexes = [
            # An account's pipeline, by expected close.
            models.Index(fields=["account", "close_date"], name="opportunity_account_close"),
        ]

    def __str__(self) -> str:
        return self.name


class OpportunityStageChange(models.Model):
    """One step of an opportunity through the stages (cycle times, lead indicators)."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.ForeignKey(OpportunityStage, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=40, blank=True)
    external_id = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["opportunity", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="stage_change_external_id_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} → {self.stage_id} at {self.at:%Y-%m-%d}"


class WhitespaceStatus(models.TextChoices):
    OPEN = "open", "Open"
    DEPLOYED = "deployed", "Deployed"
    COMPETITIVE = "competitive", "Competitive"
    COMPETITOR = "competitor", "Held by a competitor"


class WhitespaceCell(models.Model):
    """One cell of an account's whitespace matrix: a product line x a buying centre."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    product_line = models.ForeignKey(ProductLine, on_delete=models.CASCADE, related_name="+")
    buying_centre = models.ForeignKey(
        "accounts.BuyingCentre", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=WhitespaceStatus.choices, default=WhitespaceStatus.OPEN
    )
    competitor = models.CharField(max_length=120, blank=True)
    potential = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["product_line", "buying_centre"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "product_line", "buying_centre"],
                name="whitespace_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_line} x {self.buying_centre or 'whole account'}"
