// The web chat's only script: send questions and feedback as JSON, insert the server-rendered answer fragments.
'use strict';

(function () {
  const log = document.getElementById('log');
  const askForm = document.getElementById('ask');
  const question = document.getElementById('question');
  const send = document.getElementById('send');
  const person = document.getElementById('person');
  const newConversation = document.getElementById('new-conversation');
  let threadId;

  function resetConversation() {
    threadId = undefined;
    log.innerHTML = '';
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = 'New conversation. Ask how to do something in Odoo.';
    log.appendChild(p);
    question.focus();
  }

  function bubble(kind, text) {
    const empty = log.querySelector('.empty');
    if (empty) empty.remove();
    const div = document.createElement('div');
    div.className = 'msg ' + kind;
    if (text !== undefined) div.textContent = text;
    log.appendChild(div);
    div.scrollIntoView({ block: 'end' });
    return div;
  }

  async function postJson(url, body) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.error || 'Request failed (' + res.status + ')');
    return data;
  }

  askForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = question.value.trim();
    if (!text) return;
    bubble('question', text);
    question.value = '';
    const pending = bubble('pending', 'Looking through the SOPs…');
    pending.setAttribute('aria-busy', 'true');
    send.disabled = true;
    try {
      const body = { personId: person.value, question: text };
      if (threadId) body.threadId = threadId;
      const data = await postJson('/api/chat/ask', body);
      threadId = data.threadId;
      pending.className = 'msg reply';
      pending.removeAttribute('aria-busy');
      pending.innerHTML = data.html;
    } catch (err) {
      pending.className = 'msg error';
      pending.removeAttribute('aria-busy');
      pending.textContent = err.message;
    } finally {
      send.disabled = false;
      question.focus();
    }
  });

  question.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      askForm.requestSubmit();
    }
  });

  log.addEventListener('click', async (e) => {
    const button = e.target.closest('button.fb');
    if (!button) return;
    const article = button.closest('article.answer');
    const status = article.querySelector('.fb-status');
    const helpful = button.dataset.helpful === 'true';
    article.querySelectorAll('button.fb').forEach((b) => (b.disabled = true));
    try {
      await postJson('/api/chat/feedback', { personId: person.value, auditId: article.dataset.auditId, helpful });
      button.setAttribute('aria-pressed', 'true');
      status.textContent = helpful ? 'Thanks — glad it helped.' : 'Thanks — your feedback goes to the SOP owners.';
    } catch (err) {
      status.textContent = err.message;
      article.querySelectorAll('button.fb').forEach((b) => (b.disabled = false));
    }
  });

  person.addEventListener('change', resetConversation);
  newConversation.addEventListener('click', resetConversation);
})();
