"""temporary passwords: an administrator's chosen password expires and must be replaced

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 21:00:00.000000

ASVS 2.3.1: a password an administrator chose when creating an account is temporary. It logs
in until temporary_password_expires_at, and only to the page where the user chooses their
own (must_change_password). Existing accounts keep their passwords as they are.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('temporary_password_expires_at',
                                      sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('temporary_password_expires_at')
        batch_op.drop_column('must_change_password')
