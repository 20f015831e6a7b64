"""Session summaries (guideline 7): the current summary of a session and every version of it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('session_summaries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('methods', sa.JSON(), nullable=False),
    sa.Column('degraded', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by', sa.Uuid(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'approved')", name=op.f('ck_session_summaries_status')),
    sa.ForeignKeyConstraint(['approved_by'], ['users.id'], name=op.f('fk_session_summaries_approved_by_users')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_session_summaries_created_by_users')),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_session_summaries_session_id_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_session_summaries_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_summaries')),
    sa.UniqueConstraint('session_id', name=op.f('uq_session_summaries_session_id'))
    )
    op.create_table('session_summary_versions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('summary_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('changed', sa.JSON(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('draft', 'edit', 'approve')", name=op.f('ck_session_summary_versions_action')),
    sa.ForeignKeyConstraint(['summary_id'], ['session_summaries.id'], name=op.f('fk_session_summary_versions_summary_id_session_summaries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_session_summary_versions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_summary_versions')),
    sa.UniqueConstraint('summary_id', 'version', name=op.f('uq_session_summary_versions_summary_id'))
    )
    with op.batch_alter_table('session_summary_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_summary_versions_summary_id'), ['summary_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('session_summary_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_summary_versions_summary_id'))

    op.drop_table('session_summary_versions')
    op.drop_table('session_summaries')
