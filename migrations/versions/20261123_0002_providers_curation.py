"""providers curation: dated sessions, status log, provider review, intervention verdicts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:32:58.429198
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

STATUS = sa.Enum('concept', 'ingediend', 'goedgekeurd', 'afgewezen', 'gearchiveerd',
                 name='activitystatus', native_enum=False, length=32)


def upgrade() -> None:
    op.create_table('activity_dates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_activity_dates_capacity_positive')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_dates_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_dates'))
    )
    with op.batch_alter_table('activity_dates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_dates_activity_id'), ['activity_id'], unique=False)

    op.create_table('activity_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('from_status', STATUS, nullable=True),
    sa.Column('to_status', STATUS, nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_status_changes_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_activity_status_changes_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_status_changes'))
    )
    with op.batch_alter_table('activity_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_status_changes_activity_id'), ['activity_id'], unique=False)

    # Server defaults only so existing rows get a value; the application always sets them.
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_interventions', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('dropped_interventions', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('review_reason', sa.String(length=32), nullable=True))

    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('review_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_providers_reviewed_by_id_users'), 'users', ['reviewed_by_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_providers_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('review_note')
        batch_op.drop_column('phone')
        batch_op.drop_column('contact_name')

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_column('review_reason')
        batch_op.drop_column('dropped_interventions')
        batch_op.drop_column('verified_interventions')

    with op.batch_alter_table('activity_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_status_changes_activity_id'))
    op.drop_table('activity_status_changes')

    with op.batch_alter_table('activity_dates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_dates_activity_id'))
    op.drop_table('activity_dates')
