"""participants (exchange 1.1): given value, its source and the reading of the text; requests

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 19:00:00.000000

Every existing activity is read once, with the engine's own reading, so `participants_read`
holds what matching decides from then on. Nothing was given before 1.1: `participants` and
`participants_source` start empty, and school requests are for pupils.
"""
from alembic import op
import sqlalchemy as sa

from matcher.engine import read_participants
from matcher.engine.model import Activity as EngineActivity


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

SOURCE = sa.Enum('aanbieder', 'curator', name='participantssource', native_enum=False,
                 length=32)
BATCH = 1000

activities = sa.table(
    'activities',
    sa.column('id', sa.Integer()),
    sa.column('title', sa.String()),
    sa.column('description', sa.Text()),
    sa.column('participants_read', sa.String()),
)


def _reading(title: str, description: str) -> str:
    """The engine's reading of the text alone (the other fields do not change it)."""
    return read_participants(EngineActivity(
        key='', provider_key='', title=title or '', description=description or '',
        disciplines=(), format='', audience=(), group_min=1, group_max=1, sessions=1,
        minutes_per_session=1, periods=(), location='', price_amount=0.0,
        price_per='')).value


def _read_every_activity() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(activities.c.id, activities.c.title,
                                        activities.c.description)).all()
    values = [{'row_id': row.id, 'reading': _reading(row.title, row.description)}
              for row in rows]
    statement = (activities.update().where(activities.c.id == sa.bindparam('row_id'))
                 .values(participants_read=sa.bindparam('reading')))
    for start in range(0, len(values), BATCH):
        connection.execute(statement, values[start:start + BATCH])


def upgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participants', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('participants_source', SOURCE, nullable=True))
        batch_op.add_column(sa.Column('participants_read', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('participants_decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('participants_decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_activities_participants_decided_by_id_users'), 'users', ['participants_decided_by_id'], ['id'])
        batch_op.create_check_constraint(
            batch_op.f('ck_activities_participants_given_with_source'),
            '(participants IS NULL) = (participants_source IS NULL)')

    _read_every_activity()

    # No server default: an activity written without its reading is a mistake to catch.
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.alter_column('participants_read', existing_type=sa.String(length=32),
                              nullable=False)

    # Server default only so existing rows get a value; the application always sets it.
    with op.batch_alter_table('school_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participants', sa.String(length=32), nullable=False,
                                      server_default='leerlingen'))


def downgrade() -> None:
    with op.batch_alter_table('school_requests', schema=None) as batch_op:
        batch_op.drop_column('participants')

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_activities_participants_given_with_source'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_activities_participants_decided_by_id_users'), type_='foreignkey')
        batch_op.drop_column('participants_decided_at')
        batch_op.drop_column('participants_decided_by_id')
        batch_op.drop_column('participants_read')
        batch_op.drop_column('participants_source')
        batch_op.drop_column('participants')
