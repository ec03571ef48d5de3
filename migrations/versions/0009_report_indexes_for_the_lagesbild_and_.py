"""report indexes for the lagesbild and the queue

ix_reports_picture covers the lägesbild's period aggregates (it replaces the
(created_at, area_id, category) index); the queue gets (state, created_at, id) and
(state, area_id, category, created_at), and loses the redundant one-column state index.
Closed cases lose their due date (the app clears it on closing from now on).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 18:59:47.532926
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_created_at_area_category'))
        batch_op.drop_index(batch_op.f('ix_reports_state'))
        batch_op.drop_index(batch_op.f('ix_reports_state_created_at'))
        batch_op.create_index('ix_reports_picture', ['created_at', 'state', 'area_id', 'category', 'reporter_kind', 'organisation_id', 'lat', 'lon', 'occurred_at', 'updated_at'], unique=False)
        batch_op.create_index('ix_reports_state_area_category_created_at', ['state', 'area_id', 'category', 'created_at'], unique=False)
        batch_op.create_index('ix_reports_state_created_at_id', ['state', 'created_at', 'id'], unique=False)
    op.execute("UPDATE report_cases SET due_at = NULL WHERE due_at IS NOT NULL AND report_id IN "
               "(SELECT id FROM reports WHERE state IN "
               "('resolved', 'duplicate', 'not_ours', 'no_action', 'rejected'))")


def downgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_state_created_at_id')
        batch_op.drop_index('ix_reports_state_area_category_created_at')
        batch_op.drop_index('ix_reports_picture')
        batch_op.create_index(batch_op.f('ix_reports_state_created_at'), ['state', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_created_at_area_category'), ['created_at', 'area_id', 'category'], unique=False)

