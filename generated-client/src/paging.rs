//! Every user a search matches, page after page: [`UserSearch`] is a `futures_core::Stream` of
//! users that asks for the next page only when the last one is used up, and tells the total the
//! service counted. It sits above the generated code, as an application would: each page is one
//! generated `SearchUsers` call.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;

use crate::{Client, Error, Response, builder, types};

/// Users per page unless [`UserSearch::page_size`] says otherwise: the service's own default,
/// and the most its rate limits make worth asking for at once.
pub const DEFAULT_PAGE_SIZE: i32 = 100;

type Page<'c> =
    Pin<Box<dyn Future<Output = Result<Response<types::UsersResponse>, Error>> + Send + 'c>>;

/// Every user a search matches, as a stream; made by [`Client::search_all_users`].
///
/// ```no_run
/// # async fn run(client: descope_client::Client) -> Result<(), descope_client::Error> {
/// use descope_client::types::SearchUsersRequest;
/// use futures_util::StreamExt;
///
/// let request = SearchUsersRequest::builder().tenant_ids(["T2abc"]);
/// let mut users = client.search_all_users(request);
/// while let Some(user) = users.next().await {
///     let user = user?;
///     println!("{} of {:?}", user.user_id.as_deref().unwrap_or("?"), users.total());
/// }
/// # Ok(())
/// # }
/// ```
///
/// Each page is one call, so each may fail on its own: the error is the stream's next item, and
/// the stream ends after it. The request's own `page`, `limit` and `offset` are replaced.
#[must_use = "a stream does nothing until polled"]
pub struct UserSearch<'c> {
    client: &'c Client,
    /// The filters, built once; a builder that does not build is the stream's first item.
    request: Result<types::SearchUsersRequest, String>,
    page_size: i32,
    next_page: i32,
    /// The users of the last page not yet handed out.
    buffered: std::vec::IntoIter<types::ResponseUser>,
    /// The call for the next page, once asked for.
    pending: Option<Page<'c>>,
    total: Option<u64>,
    handed_out: u64,
    done: bool,
}

impl std::fmt::Debug for UserSearch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserSearch")
            .field("page_size", &self.page_size)
            .field("next_page", &self.next_page)
            .field("total", &self.total)
            .field("handed_out", &self.handed_out)
            .finish_non_exhaustive()
    }
}

impl<'c> UserSearch<'c> {
    pub(crate) fn new(client: &'c Client, request: types::builder::SearchUsersRequest) -> Self {
        UserSearch {
            client,
            request: types::SearchUsersRequest::try_from(request)
                .map_err(|error| error.to_string()),
            page_size: DEFAULT_PAGE_SIZE,
            next_page: 0,
            buffered: Vec::new().into_iter(),
            pending: None,
            total: None,
            handed_out: 0,
            done: false,
        }
    }

    /// Asks for `size` users a call instead of [`DEFAULT_PAGE_SIZE`] (at least 1).
    pub fn page_size(mut self, size: u16) -> Self {
        self.page_size = i32::from(size.max(1));
        self
    }

    /// How many users the search matches over all pages, as the service counted them; `None`
    /// until the first page has come.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    fn ask_for_next_page(&mut self) -> Page<'c> {
        let body = self.request.clone().map(|mut body| {
            body.page = Some(self.next_page);
            body.limit = Some(self.page_size);
            body.offset = None;
            body
        });
        self.next_page += 1;
        match body {
            Ok(body) => Box::pin(builder::SearchUsers::new(self.client).body(body).send()),
            Err(reason) => Box::pin(std::future::ready(Err(Error::invalid_body(
                &crate::operations::SEARCH_USERS,
                reason,
            )))),
        }
    }
}

impl Stream for UserSearch<'_> {
    type Item = Result<types::ResponseUser, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(user) = this.buffered.next() {
                this.handed_out += 1;
                return Poll::Ready(Some(Ok(user)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            if this.pending.is_none() {
                this.pending = Some(this.ask_for_next_page());
            }
            let Some(page) = this.pending.as_mut() else {
                return Poll::Ready(None);
            };
            let answer = ready!(page.as_mut().poll(cx));
            this.pending = None;
            let page = match answer {
                Ok(page) => page.into_inner(),
                Err(error) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
            };
            if let Some(total) = page.total {
                this.total = Some(u64::try_from(total).unwrap_or(0));
            }
            let users = page.users;
            // The last page: shorter than asked for, empty, or the total reached.
            let short = users.len() < usize::try_from(this.page_size).unwrap_or(usize::MAX);
            let reached = this
                .total
                .is_some_and(|total| this.handed_out + users.len() as u64 >= total);
            this.done = short || reached || users.is_empty();
            this.buffered = users.into_iter();
        }
    }
}
