"""Create the messages table.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 01:18:39
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("timestamp", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    op.create_index(op.f("ix_messages_timestamp"), "messages", ["timestamp"])
    op.create_index("ix_messages_recipient_timestamp", "messages", ["recipient", "timestamp"])


def downgrade() -> None:
    op.drop_index("ix_messages_recipient_timestamp", table_name="messages")
    op.drop_index(op.f("ix_messages_timestamp"), table_name="messages")
    op.drop_table("messages")
