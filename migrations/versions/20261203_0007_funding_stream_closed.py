"""funding streams can be closed: one with bookings is closed, never deleted

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 14:40:00.000000

A budget line a school entered by mistake can be removed; once bookings or programme items
are charged to it, removing it would rewrite what was spent, so it is closed instead (no new
bookings, still shown with what was spent).
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('funding_streams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('funding_streams', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
