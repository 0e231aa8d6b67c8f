"""schools: groups' scans, requests and proposals, bookings with seats, budgets, programme, outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_to'), ['to'], unique=False)
    op.create_table('funding_streams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('npo', 'cmk', 'cjp', 'gemeente', 'eigen', name='streamkind', native_enum=False, length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('amount', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_funding_streams_amount_not_negative')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_funding_streams_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_streams')),
    sa.UniqueConstraint('organisation_id', 'name', name=op.f('uq_funding_streams_organisation_id_name'))
    )
    with op.batch_alter_table('funding_streams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_streams_organisation_id'), ['organisation_id'], unique=False)
    op.create_table('school_programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('mr_agreed_on', sa.Date(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_school_programmes_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_programmes')),
    sa.UniqueConstraint('organisation_id', 'school_year', name=op.f('uq_school_programmes_organisation_id_school_year'))
    )
    with op.batch_alter_table('school_programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_programmes_organisation_id'), ['organisation_id'], unique=False)
    op.create_table('programme_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('intervention', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('staff', sa.String(length=32), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=True),
    sa.Column('cost', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('funding_stream_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['funding_stream_id'], ['funding_streams.id'], name=op.f('fk_programme_items_funding_stream_id_funding_streams')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_programme_items_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_items'))
    )
    with op.batch_alter_table('programme_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_items_organisation_id'), ['organisation_id'], unique=False)
    op.create_table('school_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('interventions', sa.JSON(), nullable=False),
    sa.Column('grades', sa.JSON(), nullable=False),
    sa.Column('pupils', sa.Integer(), nullable=False),
    sa.Column('periods', sa.JSON(), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=True),
    sa.Column('date_to', sa.Date(), nullable=True),
    sa.Column('budget', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('disciplines', sa.JSON(), nullable=False),
    sa.Column('competences', sa.JSON(), nullable=False),
    sa.Column('wishes', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('concept', 'open', 'beantwoord', 'geaccepteerd', 'ingetrokken', 'gesloten', name='requeststatus', native_enum=False, length=32), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_answer_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_school_requests_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_school_requests_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_requests'))
    )
    with op.batch_alter_table('school_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_requests_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_school_requests_status'), ['status'], unique=False)
    op.create_table('school_scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('grade', sa.Integer(), nullable=True),
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('delays', sa.JSON(), nullable=False),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['school_groups.id'], name=op.f('fk_school_scans_group_id_school_groups')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_school_scans_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_school_scans_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_scans'))
    )
    with op.batch_alter_table('school_scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_scans_organisation_id'), ['organisation_id'], unique=False)
    op.create_table('school_request_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('concept', 'open', 'beantwoord', 'geaccepteerd', 'ingetrokken', 'gesloten', name='requeststatus', native_enum=False, length=32), nullable=True),
    sa.Column('to_status', sa.Enum('concept', 'open', 'beantwoord', 'geaccepteerd', 'ingetrokken', 'gesloten', name='requeststatus', native_enum=False, length=32), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_school_request_events_by_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['school_requests.id'], name=op.f('fk_school_request_events_request_id_school_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_request_events'))
    )
    with op.batch_alter_table('school_request_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_request_events_request_id'), ['request_id'], unique=False)
    op.create_table('school_request_groups',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['school_groups.id'], name=op.f('fk_school_request_groups_group_id_school_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['school_requests.id'], name=op.f('fk_school_request_groups_request_id_school_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'group_id', name=op.f('pk_school_request_groups'))
    )
    op.create_table('school_request_schools',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_school_request_schools_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['school_requests.id'], name=op.f('fk_school_request_schools_request_id_school_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'organisation_id', name=op.f('pk_school_request_schools'))
    )
    op.create_table('request_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('dates', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('ingediend', 'geaccepteerd', 'afgewezen', name='proposalstatus', native_enum=False, length=32), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('price >= 0', name=op.f('ck_request_proposals_price_not_negative')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_request_proposals_activity_id_activities')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_request_proposals_provider_id_providers')),
    sa.ForeignKeyConstraint(['request_id'], ['school_requests.id'], name=op.f('fk_request_proposals_request_id_school_requests')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_request_proposals_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_proposals')),
    sa.UniqueConstraint('request_id', 'provider_id', name=op.f('uq_request_proposals_request_id_provider_id'))
    )
    with op.batch_alter_table('request_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_proposals_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_request_proposals_request_id'), ['request_id'], unique=False)
    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('for_school_id', sa.Integer(), nullable=True),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('activity_date_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('intervention', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('funding_stream_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('aangevraagd', 'bevestigd', 'goedgekeurd', 'uitgevoerd', 'geevalueerd', 'geannuleerd', name='bookingstatus', native_enum=False, length=32), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('evaluation_stars', sa.Integer(), nullable=True),
    sa.Column('evaluation_text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('evaluation_stars BETWEEN 1 AND 5', name=op.f('ck_bookings_stars_one_to_five')),
    sa.CheckConstraint('price >= 0', name=op.f('ck_bookings_price_not_negative')),
    sa.CheckConstraint('seats > 0', name=op.f('ck_bookings_seats_positive')),
    sa.ForeignKeyConstraint(['activity_date_id'], ['activity_dates.id'], name=op.f('fk_bookings_activity_date_id_activity_dates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_bookings_activity_id_activities')),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_bookings_booked_by_id_users')),
    sa.ForeignKeyConstraint(['for_school_id'], ['organisations.id'], name=op.f('fk_bookings_for_school_id_organisations')),
    sa.ForeignKeyConstraint(['funding_stream_id'], ['funding_streams.id'], name=op.f('fk_bookings_funding_stream_id_funding_streams')),
    sa.ForeignKeyConstraint(['group_id'], ['school_groups.id'], name=op.f('fk_bookings_group_id_school_groups')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_bookings_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['proposal_id'], ['request_proposals.id'], name=op.f('fk_bookings_proposal_id_request_proposals')),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], name=op.f('fk_bookings_provider_id_providers')),
    sa.ForeignKeyConstraint(['request_id'], ['school_requests.id'], name=op.f('fk_bookings_request_id_school_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('nonce', name=op.f('uq_bookings_nonce'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bookings_activity_date_id'), ['activity_date_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_for_school_id'), ['for_school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_funding_stream_id'), ['funding_stream_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_status'), ['status'], unique=False)
    op.create_table('session_seats',
    sa.Column('activity_date_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= capacity', name=op.f('ck_session_seats_seats_within_capacity')),
    sa.ForeignKeyConstraint(['activity_date_id'], ['activity_dates.id'], name=op.f('fk_session_seats_activity_date_id_activity_dates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_date_id', name=op.f('pk_session_seats'))
    )
    op.create_table('booking_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('aangevraagd', 'bevestigd', 'goedgekeurd', 'uitgevoerd', 'geevalueerd', 'geannuleerd', name='bookingstatus', native_enum=False, length=32), nullable=True),
    sa.Column('to_status', sa.Enum('aangevraagd', 'bevestigd', 'goedgekeurd', 'uitgevoerd', 'geevalueerd', 'geannuleerd', name='bookingstatus', native_enum=False, length=32), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_booking_events_booking_id_bookings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_booking_events_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_events'))
    )
    with op.batch_alter_table('booking_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_events_booking_id'), ['booking_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('booking_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_events_booking_id'))
    op.drop_table('booking_events')
    op.drop_table('session_seats')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bookings_status'))
        batch_op.drop_index(batch_op.f('ix_bookings_provider_id'))
        batch_op.drop_index(batch_op.f('ix_bookings_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_bookings_funding_stream_id'))
        batch_op.drop_index(batch_op.f('ix_bookings_for_school_id'))
        batch_op.drop_index(batch_op.f('ix_bookings_activity_date_id'))
    op.drop_table('bookings')
    with op.batch_alter_table('request_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_proposals_request_id'))
        batch_op.drop_index(batch_op.f('ix_request_proposals_provider_id'))
    op.drop_table('request_proposals')
    op.drop_table('school_request_schools')
    op.drop_table('school_request_groups')
    with op.batch_alter_table('school_request_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_request_events_request_id'))
    op.drop_table('school_request_events')
    with op.batch_alter_table('school_scans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_scans_organisation_id'))
    op.drop_table('school_scans')
    with op.batch_alter_table('school_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_requests_status'))
        batch_op.drop_index(batch_op.f('ix_school_requests_organisation_id'))
    op.drop_table('school_requests')
    with op.batch_alter_table('programme_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_items_organisation_id'))
    op.drop_table('programme_items')
    with op.batch_alter_table('school_programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_programmes_organisation_id'))
    op.drop_table('school_programmes')
    with op.batch_alter_table('funding_streams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_streams_organisation_id'))
    op.drop_table('funding_streams')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_to'))
        batch_op.drop_index(batch_op.f('ix_outbox_sent_at'))
    op.drop_table('outbox')
