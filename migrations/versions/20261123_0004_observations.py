"""observations: invitations to professionals, observations, pupil codes, audit log

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:33:54.560045
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('observation_audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=300), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('group_name', sa.String(length=130), nullable=True),
    sa.Column('action', sa.Enum('scan-bekeken', 'observatie-bekeken', 'export-csv', 'export-json', 'leerling-gewist', 'bewaartermijn-verlopen', name='auditaction', native_enum=False, length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_observation_audit_log_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_observation_audit_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_audit_log'))
    )
    with op.batch_alter_table('observation_audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_audit_log_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('observation_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('observer_name', sa.String(length=200), nullable=False),
    sa.Column('activity_reference', sa.String(length=200), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('open', 'ingevuld', 'ingetrokken', name='invitationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['school_groups.id'], name=op.f('fk_observation_invitations_group_id_school_groups')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_observation_invitations_invited_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_observation_invitations_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_observation_invitations_token_hash'))
    )
    with op.batch_alter_table('observation_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_invitations_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_invitations_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_invitations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('observation_policies',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('legal_basis', sa.Enum('publieke-taak', 'gerechtvaardigd-belang', 'toestemming', name='legalbasis', native_enum=False, length=32), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('pupil_notes_allowed', sa.Boolean(), nullable=False),
    sa.Column('retention_years', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('retention_years BETWEEN 1 AND 10', name=op.f('ck_observation_policies_retention_years_range')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_observation_policies_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_observation_policies_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_observation_policies'))
    )
    op.create_table('pupil_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['school_groups.id'], name=op.f('fk_pupil_codes_group_id_school_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pupil_codes')),
    sa.UniqueConstraint('group_id', 'code', name=op.f('uq_pupil_codes_group_id_code'))
    )
    with op.batch_alter_table('pupil_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pupil_codes_group_id'), ['group_id'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.Enum('extern', 'eigen', name='observationsource', native_enum=False, length=32), nullable=False),
    sa.Column('observer_name', sa.String(length=200), nullable=False),
    sa.Column('discipline', sa.String(length=40), nullable=True),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('general_notes_encrypted', sa.Text(), nullable=True),
    sa.Column('receipt_code', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_observations_author_id_users')),
    sa.ForeignKeyConstraint(['group_id'], ['school_groups.id'], name=op.f('fk_observations_group_id_school_groups')),
    sa.ForeignKeyConstraint(['invitation_id'], ['observation_invitations.id'], name=op.f('fk_observations_invitation_id_observation_invitations')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_observations_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_observations_invitation_id')),
    sa.UniqueConstraint('receipt_code', name=op.f('uq_observations_receipt_code'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observations_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_observed_on'), ['observed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('observation_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=40), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('remark_encrypted', sa.Text(), nullable=True),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_observation_scores_score_range')),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_observation_scores_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_scores')),
    sa.UniqueConstraint('observation_id', 'dimension', name=op.f('uq_observation_scores_observation_id_dimension'))
    )
    with op.batch_alter_table('observation_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_scores_observation_id'), ['observation_id'], unique=False)

    op.create_table('pupil_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('pupil_code_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=40), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('note_encrypted', sa.Text(), nullable=True),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_pupil_notes_score_range')),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_pupil_notes_observation_id_observations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pupil_code_id'], ['pupil_codes.id'], name=op.f('fk_pupil_notes_pupil_code_id_pupil_codes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pupil_notes'))
    )
    with op.batch_alter_table('pupil_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pupil_notes_observation_id'), ['observation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pupil_notes_pupil_code_id'), ['pupil_code_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pupil_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pupil_notes_pupil_code_id'))
        batch_op.drop_index(batch_op.f('ix_pupil_notes_observation_id'))

    op.drop_table('pupil_notes')
    with op.batch_alter_table('observation_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_scores_observation_id'))

    op.drop_table('observation_scores')
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observations_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_observations_observed_on'))
        batch_op.drop_index(batch_op.f('ix_observations_group_id'))

    op.drop_table('observations')
    with op.batch_alter_table('pupil_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pupil_codes_group_id'))

    op.drop_table('pupil_codes')
    op.drop_table('observation_policies')
    with op.batch_alter_table('observation_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_invitations_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_observation_invitations_group_id'))
        batch_op.drop_index(batch_op.f('ix_observation_invitations_email'))

    op.drop_table('observation_invitations')
    with op.batch_alter_table('observation_audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_audit_log_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_observation_audit_log_at'))

    op.drop_table('observation_audit_log')
