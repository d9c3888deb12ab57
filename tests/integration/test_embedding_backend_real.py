"""The OpenVINO export against the original model (real EmbeddingGemma): same tokens, same vectors."""

from __future__ import annotations

import numpy as np
import pytest

from shiori.settings import Settings

pytestmark = pytest.mark.slow

TEXTS = [
    "task: search result | query: 第5回日本・ベトナム環境政策対話はどこで開催されましたか？",
    "task: search result | query: Where was the memorandum with Ba Ria–Vung Tau signed?",
    "title: 日・モンゴル環境政策対話 | text: 第10回(2016年) ウランバートル 気候変動(適応)、二国間クレジット制度(JCM)",
    "title: none | text: " + "令和5年12月6日、堺市はバリアブントウ省と覚書を締結した。" * 20,  # a long one
]


@pytest.fixture(scope="module")
def backends():
    from tests.conftest import models_ready

    if not models_ready():
        pytest.skip("models not assembled")
    from ingest.embeddings import load_embeddings

    base = Settings()
    return (load_embeddings(base.model_copy(update={"embedding_backend": "torch"})),
            load_embeddings(base.model_copy(update={"embedding_backend": "openvino"})))


def test_the_export_tokenizes_exactly_like_sentence_transformers(backends) -> None:
    torch_model, ov_model = backends
    for text in TEXTS:
        expected = torch_model.model.tokenizer(text)["input_ids"]
        assert ov_model.tokenizer.encode(text).ids == expected


def test_the_export_embeds_like_torch(backends) -> None:
    torch_model, ov_model = backends
    docs = np.array(torch_model.embed_documents(TEXTS)), np.array(ov_model.embed_documents(TEXTS))
    assert (docs[0] * docs[1]).sum(axis=1).min() > 0.999
    q = np.array(torch_model.embed_query("JCM Mongolia")), np.array(ov_model.embed_query("JCM Mongolia"))
    assert float(q[0] @ q[1]) > 0.999  # the query prompt is applied the same way
    assert ov_model.dimension == torch_model.dimension == 768
