"""surveys and safety walks

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 16:34:09.651153
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('safety_walks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('meeting_point', sa.String(length=200), nullable=False),
    sa.Column('organiser_name', sa.String(length=150), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=True),
    sa.Column('participants', sa.JSON(), nullable=False),
    sa.Column('participant_note', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('salt', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_safety_walks_area_id_areas')),
    sa.ForeignKeyConstraint(['organiser_id'], ['users.id'], name=op.f('fk_safety_walks_organiser_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_walks'))
    )
    with op.batch_alter_table('safety_walks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_walks_held_at'), ['held_at'], unique=False)

    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('intro', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_anonymous', sa.Boolean(), nullable=False),
    sa.Column('is_code_required', sa.Boolean(), nullable=False),
    sa.Column('is_results_public', sa.Boolean(), nullable=False),
    sa.Column('template', sa.String(length=40), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('salt', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_surveys_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['previous_id'], ['surveys.id'], name=op.f('fk_surveys_previous_id_surveys'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys'))
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveys_state'), ['state'], unique=False)

    op.create_table('survey_areas',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_survey_areas_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_areas_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'area_id', name=op.f('pk_survey_areas'))
    )
    op.create_table('survey_code_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_code_batches_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_code_batches'))
    )
    with op.batch_alter_table('survey_code_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_code_batches_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_devices',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_devices_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'token_hash', name=op.f('pk_survey_devices'))
    )
    op.create_table('survey_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('intro', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_sections_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_sections'))
    )
    with op.batch_alter_table('survey_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_sections_survey_id'), ['survey_id'], unique=False)

    op.create_table('walk_stops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('walk_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('accuracy_m', sa.Double(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('checklist', sa.JSON(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('positive', sa.Text(), nullable=False),
    sa.Column('proposal', sa.Text(), nullable=False),
    sa.Column('added_by_group', sa.String(length=20), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('is_in_protocol', sa.Boolean(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_walk_stops_area_id_areas')),
    sa.ForeignKeyConstraint(['walk_id'], ['safety_walks.id'], name=op.f('fk_walk_stops_walk_id_safety_walks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_walk_stops')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_walk_stops_idempotency_key'))
    )
    with op.batch_alter_table('walk_stops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_walk_stops_walk_id'), ['walk_id'], unique=False)

    op.create_table('actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_organisation_id', sa.Integer(), nullable=True),
    sa.Column('owner_text', sa.String(length=150), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('public_reason', sa.Text(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('walk_stop_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_actions_area_id_areas')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_actions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_organisation_id'], ['organisations.id'], name=op.f('fk_actions_owner_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['walk_stop_id'], ['walk_stops.id'], name=op.f('fk_actions_walk_stop_id_walk_stops'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actions'))
    )
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_walk_stop_id'), ['walk_stop_id'], unique=False)

    op.create_table('survey_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['survey_code_batches.id'], name=op.f('fk_survey_codes_batch_id_survey_code_batches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_survey_codes_code_hash'))
    )
    with op.batch_alter_table('survey_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_codes_batch_id'), ['batch_id'], unique=False)

    op.create_table('survey_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.JSON(), nullable=False),
    sa.Column('help', sa.JSON(), nullable=False),
    sa.Column('is_required', sa.Boolean(), nullable=False),
    sa.Column('is_background', sa.Boolean(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('condition', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['section_id'], ['survey_sections.id'], name=op.f('fk_survey_questions_section_id_survey_sections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_questions_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questions'))
    )
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_questions_section_id'), ['section_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_questions_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('code_batch_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=100), nullable=True),
    sa.Column('payload_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_survey_responses_area_id_areas')),
    sa.ForeignKeyConstraint(['code_batch_id'], ['survey_code_batches.id'], name=op.f('fk_survey_responses_code_batch_id_survey_code_batches'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_responses_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_survey_responses_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_survey_responses_idempotency_key')),
    sa.UniqueConstraint('survey_id', 'user_id', name=op.f('uq_survey_responses_survey_id'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_survey_id'), ['survey_id'], unique=False)

    op.create_table('walk_stop_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stop_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('thumb_sha256', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['stop_id'], ['walk_stops.id'], name=op.f('fk_walk_stop_photos_stop_id_walk_stops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_walk_stop_photos'))
    )
    with op.batch_alter_table('walk_stop_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_walk_stop_photos_stop_id'), ['stop_id'], unique=False)

    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=True),
    sa.Column('number', sa.Double(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('photo_sha256', sa.String(length=64), nullable=True),
    sa.Column('thumb_sha256', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_answers_question_id_survey_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_survey_answers_response_id_survey_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers'))
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index('ix_survey_answers_question_id_value', ['question_id', 'value'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answers_response_id'), ['response_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answers_response_id'))
        batch_op.drop_index('ix_survey_answers_question_id_value')

    op.drop_table('survey_answers')
    with op.batch_alter_table('walk_stop_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_walk_stop_photos_stop_id'))

    op.drop_table('walk_stop_photos')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_survey_id'))

    op.drop_table('survey_responses')
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_questions_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_questions_section_id'))

    op.drop_table('survey_questions')
    with op.batch_alter_table('survey_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_codes_batch_id'))

    op.drop_table('survey_codes')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actions_walk_stop_id'))
        batch_op.drop_index(batch_op.f('ix_actions_status'))

    op.drop_table('actions')
    with op.batch_alter_table('walk_stops', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_walk_stops_walk_id'))

    op.drop_table('walk_stops')
    with op.batch_alter_table('survey_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_sections_survey_id'))

    op.drop_table('survey_sections')
    op.drop_table('survey_devices')
    with op.batch_alter_table('survey_code_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_code_batches_survey_id'))

    op.drop_table('survey_code_batches')
    op.drop_table('survey_areas')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveys_state'))

    op.drop_table('surveys')
    with op.batch_alter_table('safety_walks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_walks_held_at'))

    op.drop_table('safety_walks')
